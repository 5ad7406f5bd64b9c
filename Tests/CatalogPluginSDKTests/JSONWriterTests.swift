import CatalogJSON
import Foundation
import Testing

/// `JSONWriter` writes what `JSONEncoder` (sorted keys, `/` unescaped) writes, byte for byte.
@Suite("JSON writer")
struct JSONWriterTests {
    static func encoderBytes(_ value: JSONValue) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test(arguments: [
        JSONValue.null, true, false, 0, -42, .integer(Int64.max), .integer(Int64.min),
        .number(0.1), .number(2.0), .number(-0.5), .number(1e20), .number(1.5e-7), .number(123456789.125), .number(-0.0), .number(0.71),
        "", "plain", "quote \" backslash \\ slash / tab \t newline \n return \r", "\u{01}\u{1F}\u{7F}", "ünïcödé ✓ 🚀 \u{2028}",
        "\"at the start", "at the end\\", "\n\n\"\"", "nul \u{00} inside", "\u{08}\u{0C}",
        [], [1, "two", [.number(3.5), nil], ["k": false]],
        ["b": 1, "a": ["z": "y", "Z": "Y", "é": 1, "e": 2, "10": 3, "9": 4], "": ""],
    ] as [JSONValue])
    func writesWhatJSONEncoderWrites(_ value: JSONValue) throws {
        let expected = try Self.encoderBytes(value)
        #expect(try JSONWriter.bytes(value) == expected, "\(value)")
        #expect(Array(try JSONCoding.encode(value)) == expected)
    }

    @Test func aNumberThatIsNotFiniteIsRefused() {
        #expect(throws: JSONWriter.InvalidValue.self) { try JSONWriter.bytes(["x": .number(.infinity)]) }
        #expect(throws: JSONWriter.InvalidValue.self) { try JSONWriter.bytes(.number(.nan)) }
    }
}
