/// Byte-level reading of ASCII text, for matching that must not split text into `Character`s
/// or allocate per value (a filter or search reads every entity of a catalog).
enum ASCIIText {
    /// Whether `bytes` are ASCII in which each byte is one `Character`: no byte above 0x7F and
    /// no `\r` (which joins a following `\n` into one `Character`). Such text reads the same
    /// byte by byte as `Character` by `Character`.
    ///
    /// - Parameter bytes: UTF-8 bytes.
    /// - Returns: `true` when every byte is one such `Character`.
    static func isPlain(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
    }

    /// The byte of `character` when it is one ASCII byte (`"\r\n"` is ASCII but two bytes).
    ///
    /// - Parameter character: A character.
    /// - Returns: Its byte, or `nil`.
    static func singleByte(_ character: Character) -> UInt8? {
        character.utf8.count == 1 ? character.utf8.first.flatMap { $0 < 0x80 ? $0 : nil } : nil
    }

    /// `byte` lower-cased, as `String.lowercased()` lower-cases ASCII.
    ///
    /// - Parameter byte: An ASCII byte.
    /// - Returns: Its lower-case letter for `A`–`Z`, else the byte itself.
    @inline(__always)
    static func lowered(_ byte: UInt8) -> UInt8 {
        byte &+ (UInt8(ascii: "A")...UInt8(ascii: "Z") ~= byte ? 32 : 0)
    }

    /// Calls `body` with the UTF-8 bytes of `text` when they are plain (``isPlain(_:)``).
    ///
    /// - Parameters:
    ///   - text: The text to read.
    ///   - body: Reads the bytes; they are valid only during the call.
    /// - Returns: What `body` returns, or `nil` when the text is not plain ASCII.
    static func withPlainBytes<Result>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var text = text
        return text.withUTF8 { bytes in isPlain(bytes) ? body(bytes) : nil }
    }
}
