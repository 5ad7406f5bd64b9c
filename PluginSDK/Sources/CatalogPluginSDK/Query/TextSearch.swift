/// A list's `q`: whether a value contains the searched text, case ignored.
///
/// ASCII values are searched byte by byte, lower-cased as they are read; any other value is
/// lower-cased and searched character by character, as a `LIKE` matches (``WildcardPattern``):
/// `e` is not found in `e` + U+0301 (one character, `é`), nor `\n` in a CR LF. (Foundation's
/// `String.contains` traps on a searched text with a NUL in a value beyond ASCII; a plugin may
/// set any text.) A search reads a field of every
/// entity until a page is full, or of all of them when nothing matches, so the common case
/// allocates nothing.
///
/// ```swift
/// TextSearch("Llama").isFound(in: "Meta-LLAMA-3")   // true
/// ```
struct TextSearch: Sendable {
    /// The searched text, lower-cased.
    let text: String
    /// Its bytes, when it is plain ASCII (``ASCIIText/isPlain(_:)``): a ``TextIndex`` finds
    /// only such text.
    let ascii: [UInt8]?

    /// A search for `text`, case ignored.
    ///
    /// - Parameter text: The text to find (empty text is found in every value).
    init(_ text: String) {
        self.text = text.lowercased()
        let bytes = Array(self.text.utf8)
        ascii = ASCIIText.isPlain(bytes) ? bytes : nil
    }

    /// Whether `value`, case ignored, contains the text.
    ///
    /// - Parameter value: A value's text.
    /// - Returns: `true` when the text occurs in it.
    func isFound(in value: String) -> Bool {
        if let ascii, let found = ASCIIText.withPlainBytes(of: value, { Self.contains($0, ascii) }) {
            return found
        }
        return value.lowercased().firstRange(of: text) != nil
    }

    /// Whether `needle` (lower-case) occurs in `haystack` read lower-cased.
    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        guard let first = needle.first else { return true }
        for start in 0...(haystack.count - needle.count) where ASCIIText.lowered(haystack[start]) == first {
            var offset = 1
            while offset < needle.count, ASCIIText.lowered(haystack[start + offset]) == needle[offset] { offset += 1 }
            if offset == needle.count { return true }
        }
        return false
    }
}
