import Foundation
import Yams

/// A YAML document that could not be read or parsed, with where it went wrong.
public struct YAMLDocumentError: Error, CustomStringConvertible, Sendable {
    /// The file that failed.
    public var path: String
    /// 1-based line of the problem, when known.
    public var line: Int?
    /// 1-based column of the problem, when known.
    public var column: Int?
    /// What went wrong.
    public var problem: String

    /// An error about the file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file that failed.
    ///   - line: The 1-based line of the problem, when known.
    ///   - column: The 1-based column of the problem, when known.
    ///   - problem: What went wrong.
    public init(path: String, line: Int? = nil, column: Int? = nil, problem: String) {
        self.path = path
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// `path:line:column: problem`, with as much of the position as is known.
    public var description: String {
        switch (line, column) {
        case (let line?, let column?): "\(path):\(line):\(column): \(problem)"
        case (let line?, nil): "\(path):\(line): \(problem)"
        default: "\(path): \(problem)"
        }
    }
}

/// Reads YAML files into ``JSONValue`` documents.
///
/// ```swift
/// let document = try YAMLDocument.load(path: "/etc/catalog/tools.yaml")
/// let tools = document["tools"]?.arrayValue ?? []
/// ```
///
/// Scalars keep their YAML type: integers become ``JSONValue/integer(_:)``, floats
/// ``JSONValue/number(_:)`` (except `.inf` and `.nan`, which stay text), `true`/`false`
/// Booleans, `null` and `~` ``JSONValue/null``; mapping keys must be strings.
public enum YAMLDocument {
    /// Reads and parses the YAML file at `path`.
    ///
    /// - Parameter path: The file to read.
    /// - Returns: The document; `null` when it is empty.
    /// - Throws: ``YAMLDocumentError`` naming the file, and the line and column for a syntax error.
    public static func load(path: String) throws -> JSONValue {
        try load(path: path, itemRoom: 0)
    }

    /// Reads and parses the YAML file at `path`, like ``load(path:)``, giving each mapping that
    /// is an item of a list under the top mapping (an entity of a data file) room for
    /// `itemRoom` more members: a member added then (`source_id`) goes into that room instead
    /// of a copy of the mapping's values, which would leave a hole per entity in the heap.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - itemRoom: Members each such mapping will gain.
    /// - Returns: The document; `null` when it is empty.
    /// - Throws: ``YAMLDocumentError`` naming the file, and the line and column for a syntax error.
    package static func load(path: String, itemRoom: Int) throws -> JSONValue {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw YAMLDocumentError(path: path, problem: "cannot read file: \(Self.reason(error))")
        }
        return try YAMLReader.read(text, path: path, budget: budget(of: text), itemRoom: itemRoom)
    }

    /// Parses YAML text; `path` names the source in errors. An empty document is `null`.
    ///
    /// Aliases are expanded, but a document may not expand to more than ``expansionAllowance``
    /// units per byte of its text, plus 10 000: a value or mapping key costs one unit and a
    /// scalar one more per 4 bytes of its text; an alias costs what it stands for. A few kilobytes of nested `&a` / `*a` ("billion laughs"), or a long
    /// string repeated through an alias, would otherwise become gigabytes.
    ///
    /// A document is read straight from libyaml's events into values, with no node tree in
    /// between; it may nest sequences and mappings as deep as ``JSONNesting/maximumDepth`` (128).
    ///
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - path: The name errors give the document, usually its file.
    /// - Returns: The document; `null` when it is empty.
    /// - Throws: ``YAMLDocumentError`` with the line and column of a syntax error, of a mapping
    ///   key that is not a string or appears twice, of nesting too deep, or of a
    ///   document that expands past its allowance.
    public static func parse(_ text: String, path: String) throws -> JSONValue {
        try YAMLReader.read(text, path: path, budget: budget(of: text), itemRoom: 0)
    }

    private static func budget(of text: String) -> Int { text.utf8.count * expansionAllowance + 10_000 }

    /// Values a document may expand to per byte of its text.
    public static let expansionAllowance = 4

    /// Writes `value` as block-style YAML with sorted keys; strings are double-quoted, so they
    /// read back as strings whatever they contain.
    ///
    /// - Parameter value: The document to write.
    /// - Returns: The YAML text.
    /// - Throws: The YAML emitter's error.
    public static func serialize(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(of: value), sortKeys: true)
    }

    private static func node(of value: JSONValue) -> Node {
        switch value {
        case .null: Node("null", Tag(.null))
        case .bool(let bool): Node(bool ? "true" : "false", Tag(.bool))
        case .integer(let integer): Node(String(integer), Tag(.int))
        case .number(let number): Node(String(number), Tag(.float))
        case .string(let string): Node(string, Tag(.str), .doubleQuoted)
        case .array(let array): Node(array.map(node(of:)))
        case .object(let object): Node(object.sorted { $0.key < $1.key }.map { (Node($0.key), node(of: $0.value)) })
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}
