/// Writes a ``JSONValue`` as JSON text straight into bytes — what every list and get answer
/// spends its time on — in the form `JSONCoding.encode` documents: keys sorted, `/` not
/// escaped, no whitespace. Foundation's `JSONEncoder` reaches the same text through `Codable`
/// boxes, several times slower.
///
/// ```swift
/// let bytes = try JSONWriter.bytes(["name": "a", "size": 3])   // {"name":"a","size":3}
/// ```
public enum JSONWriter {
    /// A value that cannot be written: a number that is not finite.
    public struct InvalidValue: Error, CustomStringConvertible {
        /// What cannot be written, and why.
        public var description: String
    }

    /// `value` as JSON text.
    ///
    /// - Parameter value: The document.
    /// - Returns: Its UTF-8 bytes.
    /// - Throws: ``InvalidValue`` for a number that is not finite (JSON has none).
    public static func bytes(_ value: JSONValue) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        try write(value, into: &output)
        return output
    }

    /// Appends `value` as JSON text to `output`.
    ///
    /// - Parameters:
    ///   - value: The document.
    ///   - output: Where the text goes.
    /// - Throws: ``InvalidValue`` for a number that is not finite.
    public static func write(_ value: JSONValue, into output: inout [UInt8]) throws {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let bool):
            output.append(contentsOf: (bool ? "true" : "false").utf8)
        case .integer(let integer):
            output.append(contentsOf: String(integer).utf8)
        case .number(let number):
            guard number.isFinite else { throw InvalidValue(description: "the number \(number) cannot be written as JSON") }
            // As JSONEncoder writes it: the shortest round-trip form, a whole number without ".0".
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            output.append(contentsOf: text.utf8)
        case .string(let string):
            writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                try write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {  // sorted by name already
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `string` quoted: runs of bytes that need no escape are copied at once.
    private static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                start = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                default:
                    output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

/// A value whose JSON form is a ``JSONValue``: `JSONCoding.encode` writes it with
/// ``JSONWriter`` instead of `JSONEncoder`.
public protocol JSONValueConvertible {
    /// The value as a JSON document.
    var jsonValue: JSONValue { get }
}

extension JSONValue: JSONValueConvertible {
    /// The value itself.
    public var jsonValue: JSONValue { self }
}
