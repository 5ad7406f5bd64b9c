// libyaml as Yams bundles it: Yams composes a node tree and resolves every plain scalar's
// tag with regular expressions, which is most of the time and memory of loading a large data
// file. The reader builds ``JSONValue``s straight from libyaml's parse events instead.
import CYaml
import Yams

/// Reads one YAML document into a ``JSONValue`` from libyaml's parse events, without a node
/// tree: what ``YAMLDocument/parse(_:path:)`` does.
///
/// Plain scalars take the type Yams' default resolver gives them (YAML 1.1: `yes`/`no`/`on`/
/// `off` are Booleans, `0o17` and `1_000` integers, `~` null); only a scalar that could be a
/// number is handed to Yams' resolver, the others are told apart by their first character. A
/// mapping key must be a string and appear once. Aliases expand within the document's
/// allowance, and nesting stops at ``maximumDepth`` levels.
struct YAMLReader {
    /// Nested sequences and mappings a document may have.
    static let maximumDepth = JSONNesting.maximumDepth

    /// A sequence or mapping being read.
    private struct Frame {
        var sequence: [JSONValue]?
        /// A mapping's members so far, in the order read.
        var members: [(key: String, value: JSONValue)] = []
        /// The names of a large mapping's members, to find a repeated one without a scan.
        var names: Set<String>?
        /// The key read whose value comes next, in a mapping.
        var key: String?
        var anchor: String?
        /// Units of the expansion allowance spent on this node so far.
        var cost = 1
        /// Whether every member so far is a short scalar or a shared small value.
        var flat = true
        /// Bytes of its names and scalars, and one per node: what sharing it costs to hash.
        var weight = 1
        var count: Int { sequence?.count ?? members.count }
    }

    /// A node with an anchor: what an alias of it stands for.
    private struct Anchored {
        var value: JSONValue
        var cost: Int
        /// The scalar's text, when the node is a scalar (an alias may be a mapping key).
        var text: String?
    }

    private let path: String
    private var budget: Int
    /// Room for more members in each mapping that is an item of a list under the top mapping.
    private let itemRoom: Int
    private var stack: [Frame] = []
    private var anchors: [String: Anchored] = [:]
    private var root: JSONValue?
    /// Number-like scalars typed so far: data files repeat values like `7B` or `1.0`, and the
    /// resolver's patterns are the costly part of typing them.
    private var resolved: [ExactText: JSONValue] = [:]
    private static let maximumResolved = 4096
    /// Texts read so far that Swift keeps on the heap (past 15 bytes): a data file repeats its
    /// keys (`lastUpdateTimeSinceEpoch`) and many values (`MetadataStringValue`) in every
    /// entity, and each repetition shares the first one's storage.
    private var texts: Set<ExactText> = []
    private static let maximumTexts = 16_384
    /// The member names of the mappings read so far: entities of a data file have a few
    /// shapes, and every mapping of one shape shares one list of names. Kept by a hash of the
    /// names' bytes (each with its length), so looking one up allocates nothing.
    private var shapes: [Int: [JSONMemberNames]] = [:]
    private var shapeCount = 0
    private static let maximumShapes = 4096
    /// Small sequences and mappings of scalars read so far (a model's `tasks`, its custom
    /// properties, a license): each repetition is the first one's value and shares its storage.
    private var smallValues: Set<ExactValue> = []
    private static let maximumSmallValues = 4096
    /// Members a sequence or mapping may have to be shared.
    private static let smallMembers = 4
    /// The weight a sequence or mapping may have to be shared: every level of a nested one is
    /// hashed whole, so a bound here keeps a deep chain of one-member mappings from hashing
    /// its document over and over.
    private static let maximumSmallWeight = 256
    /// Mappings with more members than this find a repeated name in a set, not by a scan.
    private static let scannedMembers = 16

    /// Reads `text`, a single YAML document.
    ///
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - path: The name errors give the document.
    ///   - budget: Units the document may expand to (see ``YAMLDocument/parse(_:path:)``).
    ///   - itemRoom: Room for more members in each mapping that is an item of a list under
    ///     the top mapping.
    /// - Returns: The document; `null` when it is empty.
    /// - Throws: ``YAMLDocumentError`` with the line and column of the problem.
    static func read(_ text: String, path: String, budget: Int, itemRoom: Int) throws -> JSONValue {
        var reader = YAMLReader(path: path, budget: budget, itemRoom: itemRoom)
        var text = text
        return try text.withUTF8 { bytes in try reader.read(bytes) }
    }

    private init(path: String, budget: Int, itemRoom: Int) {
        self.path = path
        self.budget = budget
        self.itemRoom = itemRoom
    }

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLDocumentError(path: path, problem: "out of memory") }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return .null }
        yaml_parser_set_input_string(&parser, start, bytes.count)
        var documents = 0
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { throw Self.error(of: parser, path: path) }
            defer { yaml_event_delete(&event) }
            let mark = (line: event.start_mark.line + 1, column: event.start_mark.column + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root ?? .null
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                guard documents == 1 else {
                    throw YAMLDocumentError(path: path, line: mark.line, column: mark.column, problem: "expected a single document in the stream, but found another document")
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = shared(String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self))
                let tag = scalar.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(scalar.tag)
                let style = Node.Scalar.Style(rawValue: numericCast(scalar.style.rawValue)) ?? .any
                let cost = 1 + text.utf8.count / 4
                let anchor = Self.string(scalar.anchor)
                if stack.last.map({ $0.sequence == nil && $0.key == nil }) == true {
                    // A key: its text, whatever its type.
                    try spend(cost, mark: mark)
                    stack[stack.count - 1].cost += cost
                    try key(text, mark: mark)
                    stack[stack.count - 1].weight += text.utf8.count
                    if let anchor { anchors[anchor] = Anchored(value: value(of: text, tag: tag, style: style), cost: cost, text: text) }
                    continue
                }
                try spend(cost, mark: mark)
                let value = value(of: text, tag: tag, style: style)
                if let anchor { anchors[anchor] = Anchored(value: value, cost: cost, text: text) }
                add(value, cost: cost, flat: text.utf8.count <= 64, weight: 1 + text.utf8.count)
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let anchored = anchors[name] else {
                    throw YAMLDocumentError(path: path, line: mark.line, column: mark.column, problem: "found undefined alias")
                }
                if stack.last.map({ $0.sequence == nil && $0.key == nil }) == true {
                    guard let text = anchored.text else { throw keyError(mark) }
                    try spend(anchored.cost, mark: mark)
                    stack[stack.count - 1].cost += anchored.cost
                    try key(text, mark: mark)
                    stack[stack.count - 1].weight += text.utf8.count
                    continue
                }
                try spend(anchored.cost, mark: mark)
                add(anchored.value, cost: anchored.cost, flat: false, weight: 0)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                if stack.last.map({ $0.sequence == nil && $0.key == nil }) == true { throw keyError(mark) }
                guard stack.count < Self.maximumDepth else {
                    throw YAMLDocumentError(path: path, line: mark.line, column: mark.column, problem: "nested deeper than \(Self.maximumDepth) levels")
                }
                try spend(1, mark: mark)
                let sequence = event.type == YAML_SEQUENCE_START_EVENT
                let anchor = Self.string(sequence ? event.data.sequence_start.anchor : event.data.mapping_start.anchor)
                stack.append(Frame(sequence: sequence ? [] : nil, anchor: anchor))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                var frame = stack.removeLast()
                let item = stack.count == 2 && stack[0].sequence == nil && stack[1].sequence != nil
                var value = frame.sequence.map(JSONValue.array) ?? .object(object(of: &frame.members, room: item ? itemRoom : 0))
                let small = frame.flat && frame.count <= Self.smallMembers && frame.weight <= Self.maximumSmallWeight
                    && !(item && itemRoom > 0)  // an entity gains members
                if small { value = shared(value) }
                if let anchor = frame.anchor { anchors[anchor] = Anchored(value: value, cost: frame.cost, text: nil) }
                add(value, cost: frame.cost, flat: small, weight: frame.weight)
            default:
                continue  // stream and document ends, nothing to read
            }
        }
    }

    /// `text`, or an equal text read before, whose storage it then shares.
    private mutating func shared(_ text: String) -> String {
        let length = text.utf8.count
        guard length > 15 && length <= 64 else { return text }
        let exact = ExactText(text)
        if let index = texts.firstIndex(of: exact) { return texts[index].text }
        if texts.count < Self.maximumTexts { texts.insert(exact) }
        return text
    }

    /// `value`, a small sequence or mapping of scalars, or an equal one read before (byte for
    /// byte), whose storage it then shares.
    private mutating func shared(_ value: JSONValue) -> JSONValue {
        let exact = ExactValue(value)
        if let index = smallValues.firstIndex(of: exact) { return smallValues[index].value }
        if smallValues.count < Self.maximumSmallValues { smallValues.insert(exact) }
        return value
    }

    /// Takes `text` as the key of the mapping being read.
    private mutating func key(_ text: String, mark: (line: Int, column: Int)) throws {
        let top = stack.count - 1
        let repeated: Bool
        if stack[top].members.count < Self.scannedMembers {
            repeated = stack[top].members.contains { $0.key == text }
        } else {
            if stack[top].names == nil { stack[top].names = Set(stack[top].members.map(\.key)) }
            repeated = !stack[top].names!.insert(text).inserted
        }
        guard !repeated else {
            throw YAMLDocumentError(path: path, line: mark.line, column: mark.column, problem: "duplicate mapping key \"\(text)\"")
        }
        stack[stack.count - 1].key = text
    }

    /// Puts a finished value into the sequence or mapping being read, or makes it the document.
    /// `flat`: the value is a short scalar or a shared small value, of `weight`.
    private mutating func add(_ value: JSONValue, cost: Int, flat: Bool, weight: Int) {
        guard !stack.isEmpty else { root = value; return }
        let top = stack.count - 1
        stack[top].cost += cost
        stack[top].flat = stack[top].flat && flat
        stack[top].weight += weight
        if stack[top].sequence != nil {
            stack[top].sequence!.append(value)
        } else if let key = stack[top].key {
            stack[top].members.append((key, value))
            stack[top].key = nil
        }
    }

    /// The object of a mapping's members (names distinct), its names shared with every
    /// mapping read before that has the same ones, byte for byte.
    /// Sorts `members` in place and makes no other temporary: what a load leaves behind
    /// between the entities it keeps are holes the allocator cannot give back.
    /// `room`: members the object will gain.
    private mutating func object(of members: inout [(key: String, value: JSONValue)], room: Int) -> JSONObject {
        members.sort { $0.key < $1.key }
        var hasher = Hasher()
        for member in members { hasher.combine(ExactText(member.key)) }
        let shape = hasher.finalize()
        let known = shapes[shape]?.first { names in
            names.names.count == members.count && zip(names.names, members).allSatisfy { $0.hasSameBytes(as: $1.key) }
        }
        let names = known ?? JSONMemberNames(members.map(\.key), keepsChanges: true)
        if known == nil && shapeCount < Self.maximumShapes {
            shapes[shape, default: []].append(names)
            shapeCount += 1
        }
        var values: [JSONValue] = []
        values.reserveCapacity(members.count + room)
        for member in members { values.append(member.value) }
        return JSONObject(names: names, values: values)
    }

    private mutating func spend(_ cost: Int, mark: (line: Int, column: Int)) throws {
        budget -= cost
        guard budget >= 0 else {
            throw YAMLDocumentError(
                path: path, line: mark.line, column: mark.column,
                problem: "the document expands to more than \(YAMLDocument.expansionAllowance) times its size (aliases nested or repeated too much?)")
        }
    }

    private func keyError(_ mark: (line: Int, column: Int)) -> YAMLDocumentError {
        YAMLDocumentError(path: path, line: mark.line, column: mark.column, problem: "mapping keys must be strings")
    }

    // MARK: Scalars

    /// A scalar as the JSON value of its type: `tag` is its explicit (or, quoted, `str`) tag,
    /// `nil` for a plain scalar the resolver types; Yams' constructors read numbers and
    /// Booleans only from plain scalars, so an explicit `!!int '12'` stays text.
    private mutating func value(of text: String, tag: String?, style: Node.Scalar.Style) -> JSONValue {
        guard let tag else { return plainValue(of: text) }
        if tag == Tag.Name.str.rawValue { return .string(text) }
        return Self.typedValue(of: Node(text, Tag(Tag.Name(rawValue: tag)), style))
    }

    /// A plain, untagged scalar: only numbers (which start with a digit, a sign or `.`) need
    /// the resolver's patterns, and a decimal integer not even those; Booleans and null are a
    /// few words, anything else is text.
    private mutating func plainValue(of text: String) -> JSONValue {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            if Self.isDecimalInteger(text) { return Int64(text).map(JSONValue.integer) ?? .string(text) }
            if let known = resolved[ExactText(text)] { return known }
            let value = Self.typedValue(of: Node(text, Tag(.implicit), .plain))
            if resolved.count < Self.maximumResolved && text.utf8.count <= 32 { resolved[ExactText(text)] = value }
            return value
        case UInt8(ascii: "~"):
            return text == "~" ? .null : .string(text)
        default:
            if let bool = Self.booleans[text] { return .bool(bool) }
            if text == "null" || text == "Null" || text == "NULL" { return .null }
            return .string(text)
        }
    }

    /// `0` or `[-+]?[1-9][0-9]*`: decimal integers Yams types and reads as `Int` (it reads a
    /// signed zero as text, so `-0` and `+0` take the resolver's way).
    private static func isDecimalInteger(_ text: String) -> Bool {
        var digits = text.utf8[...]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard let first = digits.first, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return first != UInt8(ascii: "0") || text == "0"
    }

    /// The words Yams' default resolver reads as Booleans.
    private static let booleans: [String: Bool] = [
        "yes": true, "Yes": true, "YES": true, "true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
        "no": false, "No": false, "NO": false, "false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
    ]

    /// A scalar node as its tag (resolved by Yams when implicit) types it.
    private static func typedValue(of node: Node) -> JSONValue {
        let text = node.scalar?.string ?? ""
        switch Tag.Name(rawValue: node.tag.description) {
        case .null: return .null
        case .bool: return node.bool.map(JSONValue.bool) ?? .string(text)
        case .int: return node.int.map { .integer(Int64($0)) } ?? .string(text)
        // `.inf` and `.nan` stay text: JSON has no such numbers.
        case .float:
            guard let number = node.float, number.isFinite else { return .string(text) }
            return .number(number)
        default: return .string(text)
        }
    }

    // MARK: libyaml

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// libyaml's error, with its position when it has one.
    private static func error(of parser: yaml_parser_t, path: String) -> YAMLDocumentError {
        let problem = parser.problem.map { String(cString: $0) } ?? "cannot parse"
        switch parser.error {
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            return YAMLDocumentError(path: path, line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1, problem: problem)
        case YAML_MEMORY_ERROR:
            return YAMLDocumentError(path: path, problem: "out of memory")
        default:
            return YAMLDocumentError(path: path, problem: problem)
        }
    }
}
