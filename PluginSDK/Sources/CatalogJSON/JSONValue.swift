import Foundation

/// A JSON document held in memory: what configuration, capability documents and catalog
/// entities are made of on both sides of the plugin ABI.
///
/// Objects are ``JSONObject``s: their names sorted and shared between objects of the same
/// shape, so encoding writes them in a deterministic order without sorting.
///
/// Literals build values directly, so documents read like the JSON they stand for:
///
/// ```swift
/// let tool: JSONValue = ["name": "git", "tags": ["vcs", "cli"], "stars": 120, "archived": false, "owner": nil]
/// tool["name"]?.stringValue          // "git"
/// tool["tags"]?.arrayValue?.count    // 2
/// tool["stars"] == 120               // true
/// ```
public enum JSONValue: Sendable, Hashable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without fraction or exponent that fits in 64 bits, e.g. `42`.
    case integer(Int64)
    /// Any other number, e.g. `2.5` or `1e3`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object: member names to values.
    case object(JSONObject)

    /// An ``JSONValue/object(_:)`` of the members of `dictionary`.
    ///
    /// - Parameter dictionary: Member names to values.
    /// - Returns: The object.
    public static func object(_ dictionary: [String: JSONValue]) -> JSONValue {
        .object(JSONObject(dictionary))
    }
}

extension JSONValue {
    /// The value of `key` when this is an object, otherwise `nil`.
    ///
    /// - Parameter key: A member name.
    /// - Returns: The member's value, or `nil` when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }

    /// The Boolean, when this is a Boolean.
    public var boolValue: Bool? {
        guard case .bool(let bool) = self else { return nil }
        return bool
    }

    /// The number as a `Double`, when this is an integer or a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let array) = self else { return nil }
        return array
    }

    /// The members, when this is an object.
    public var objectValue: JSONObject? {
        guard case .object(let object) = self else { return nil }
        return object
    }

    /// Whether the value carries information: not null, not an empty string, array or object.
    ///
    /// Configuration merging lets a later file override a field only with a non-empty value.
    public var isEmpty: Bool {
        switch self {
        case .null: true
        case .string(let string): string.isEmpty
        case .array(let array): array.isEmpty
        case .object(let object): object.isEmpty
        case .bool, .integer, .number: false
        }
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value: `null`, a Boolean, an integer (when it fits in `Int64`), another
    /// number, a string, an array or an object, tried in that order.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the value is none of these.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode(JSONObject.self))
        }
    }

    /// Encodes the value as the JSON it stands for.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error, e.g. for a non-finite ``JSONValue/number(_:)``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .integer(let integer): try container.encode(integer)
        case .number(let number): try container.encode(number)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A ``JSONValue/string(_:)`` from a string literal: `"tools"`.
    ///
    /// - Parameter value: The literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A ``JSONValue/bool(_:)`` from `true` or `false`.
    ///
    /// - Parameter value: The literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An ``JSONValue/integer(_:)`` from an integer literal: `42`.
    ///
    /// - Parameter value: The literal.
    public init(integerLiteral value: Int64) { self = .integer(value) }
    /// An ``JSONValue/array(_:)`` from an array literal: `["a", 1, true]`.
    ///
    /// - Parameter elements: The elements, in order.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An ``JSONValue/object(_:)`` from a dictionary literal: `["name": "git"]`; of repeated keys the last wins.
    ///
    /// - Parameter elements: The members, as name–value pairs.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements))
    }
    /// ``JSONValue/null`` from `nil`.
    ///
    /// - Parameter nilLiteral: The `nil` literal.
    public init(nilLiteral: ()) { self = .null }
}
