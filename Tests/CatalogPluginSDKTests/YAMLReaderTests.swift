import CatalogJSON
import Foundation
import Testing
import Yams

/// The YAML reader builds values from libyaml's events; Yams' node tree, converted as the
/// reader's predecessor did, is the reference it must agree with.
@Suite("YAML reader")
struct YAMLReaderTests {
    /// What a document read through Yams' node tree gives: the reference.
    static func reference(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return convert(node)
    }

    /// The document read by the reader, or that it was refused.
    static func outcome(_ text: String) -> JSONValue {
        (try? YAMLDocument.parse(text, path: "t")) ?? "refused"
    }

    /// The reference's reading, or that it was refused.
    static func referenceOutcome(_ text: String) -> JSONValue {
        (try? reference(text)) ?? "refused"
    }

    private static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.description) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
            case .float:
                guard let number = node.float, number.isFinite else { return .string(scalar.string) }
                return .number(number)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence): return .array(sequence.map(convert))
        case .mapping(let mapping):
            return .object(Dictionary(mapping.map { ($0.key.string!, convert($0.value)) }, uniquingKeysWith: { _, last in last }))
        case .alias: return .null
        }
    }

    static let scalars = [
        "plain", "~", "~x", "null", "Null", "NULL", "nULL", "", "true", "True", "TRUE", "tRUE", "yes", "Yes", "YES", "no", "No",
        "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", "false", "False", "FALSE", "12", "-12", "+12", "0", "012", "0o17",
        "0x1F", "0b101", "1_000", "1:30", "1.5", "-1.5e3", ".5", "1e3", "1.", ".inf", "-.inf", ".nan", ".NaN", "7B", "1.2.3",
        "2024-01-02", "2024-1-2 10:00:00", "<<", "=", "+", ".", "9223372036854775807", "9223372036854775808", "'quoted 12'",
        "\"true\"", "!!str 12", "!!int '12'", "!!float '1.5'", "!!bool 'yes'", "!!null ''", "!custom 12", "! 12", "|\n  12\n",
        ">\n  yes\n", "\"\\u00e9t\\u00e9\"", "été", "o", "of", "t", "f", "-0", "+0", "007", "-012", "+7", "12abc", "1-2",
    ]

    /// Every scalar form types as Yams' resolver and constructors type it.
    @Test(arguments: scalars)
    func scalarsTypeAsYamsTypesThem(_ scalar: String) throws {
        let text = "value: \(scalar)\nlist: [\(scalar.contains("\n") ? "x" : scalar)]\n"
        #expect(Self.referenceOutcome(text) != "refused", "\(scalar) is a valid scalar")
        #expect(Self.outcome(text) == Self.referenceOutcome(text), "\(scalar)")
    }

    /// Structure, anchors and aliases (merge keys stay plain keys), flow and block styles.
    @Test func documentsReadAsThroughTheNodeTree() throws {
        let documents = [
            "", "# only a comment\n", "---\n", "a: 1\n", "- 1\n- [2, {b: c}]\n", "a: &x {k: [1, 2]}\nb: *x\nc: [*x, *x]\n",
            "base: &b {x: 1}\nderived: {<<: *b, y: 2}\n", "&k key: v\nother: *k\n", "? complex\n: value\n", "a:\n  - b:\n      c: {}\n",
            "empty:\nlist: []\nmap: {}\n", "1: int key\n'2': quoted key\ntrue: bool key\n", "s: 'it''s'\nd: \"tab\\there\"\n",
        ]
        for document in documents {
            #expect(Self.referenceOutcome(document) != "refused", "\(document) is valid")
            #expect(Self.outcome(document) == Self.referenceOutcome(document), "\(document)")
        }
    }

    /// The data files this repository ships and tests with read the same both ways.
    @Test func theRepositorysYAMLFilesReadAsThroughTheNodeTree() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try FileManager.default.subpathsOfDirectory(atPath: root.path)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") && !$0.contains("/.") }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOfFile: root.appendingPathComponent(file).path, encoding: .utf8)
            #expect(try YAMLDocument.parse(text, path: file) == Self.reference(text), "\(file)")
        }
    }

    /// Texts that are canonically equal but spelled differently keep their own bytes, though
    /// repeated texts share storage and repeated number-like ones are typed once.
    @Test func equalTextsKeepTheirBytes() throws {
        let composed = "a long value with caf\u{E9} in it", decomposed = "a long value with cafe\u{301} in it"
        let document = try YAMLDocument.parse("- \(composed)\n- \(decomposed)\n- \(composed)\n", path: "t")
        let values = (document.arrayValue ?? []).compactMap(\.stringValue).map { Array($0.utf8) }
        #expect(values == [Array(composed.utf8), Array(decomposed.utf8), Array(composed.utf8)])
    }

    /// What the reader refuses, with where.
    @Test(arguments: [
        ("a: *nowhere\n", "1:4: found undefined alias"),
        ("[1]: list key\n", "1:1: mapping keys must be strings"),
        ("a: 1\nb: 2\na: 3\n", "3:1: duplicate mapping key \"a\""),
        // Past 16 members the reader finds a repeated name in a set instead of a scan.
        ((0..<40).map { "k\($0): \($0)\n" }.joined() + "k7: again\n", "41:1: duplicate mapping key \"k7\""),
        ((0..<40).map { "k\($0): \($0)\n" }.joined() + "k39: again\n", "41:1: duplicate mapping key \"k39\""),
        ("a: [1\n", "did not find expected ',' or ']'"),
        ("a: 1\n---\nb: 2\n", "2:1: expected a single document in the stream"),
        (String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "nested deeper than 128 levels"),
    ])
    func refusals(_ document: String, _ message: String) {
        #expect {
            try YAMLDocument.parse(document, path: "doc.yaml")
        } throws: { error in
            "\(error)".hasPrefix("doc.yaml:") && "\(error)".contains(message)
        }
    }

    /// An alias costs what it expands to: nested aliases stop at the document's allowance.
    @Test func aliasesExpandWithinTheAllowance() {
        var document = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1..<12 {
            document += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect {
            try YAMLDocument.parse(document, path: "bomb.yaml")
        } throws: { error in
            "\(error)".contains("expands to more than 4 times its size")
        }
        // An alias as a mapping key costs what it stands for, too.
        let long = String(repeating: "k", count: 4000)
        let keys = "k: &k \(long)\nlist:\n" + String(repeating: "  - {*k : 1}\n", count: 400)
        #expect {
            try YAMLDocument.parse(keys, path: "keys.yaml")
        } throws: { error in
            "\(error)".contains("expands to more than 4 times its size")
        }
        // A few aliases of a small anchor are fine.
        #expect((try? YAMLDocument.parse("a: &a [1, 2]\nb: [*a, *a, *a]\n", path: "ok.yaml")) != nil)
    }
}
