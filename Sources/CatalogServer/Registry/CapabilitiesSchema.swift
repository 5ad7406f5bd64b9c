import CatalogJSON
import Foundation

/// Checks a plugin's capabilities V2 document against the published schema,
/// `PluginSDK/capabilities-v2.schema.json` (compiled into the server), and says where it breaks
/// it. A broken document is a warning, never a refusal: the load log and `plugins verify`
/// report it.
///
/// The validator reads the subset of JSON Schema the schema is written in: `type`, `required`,
/// `properties`, `additionalProperties` (a Boolean), `items`, `enum`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `minItems`, `maxItems`, `pattern` and `$ref` to `#/$defs/…`.
///
/// ```swift
/// let problems = CapabilitiesSchema.shared.problems(in: document)
/// // ["/entities/0/fields/columns/1: required member \"path\" is missing"]
/// ```
struct CapabilitiesSchema: Sendable {
    /// The published schema.
    static let shared: CapabilitiesSchema = {
        guard let schema = try? JSONCoding.decode(PackageResources.capabilities_v2_schema_json) else {
            preconditionFailure("the embedded capabilities-v2.schema.json is not JSON")
        }
        return CapabilitiesSchema(schema: schema)
    }()

    /// At most this many problems are reported per document.
    static let problemLimit = 20

    let schema: JSONValue
    /// The schema's patterns, compiled once.
    private let patterns: [String: NSRegularExpression]

    init(schema: JSONValue) {
        self.schema = schema
        var patterns: [String: NSRegularExpression] = [:]
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let pattern = members["pattern"]?.stringValue { patterns[pattern] = try? NSRegularExpression(pattern: pattern) }
                members.values.forEach(collect)
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(schema)
        self.patterns = patterns
    }

    /// Where `document` breaks the schema, as `/json/pointer: what`; empty when it conforms.
    ///
    /// - Parameter document: The plugin's answer to `capabilities.v2.get`.
    func problems(in document: JSONValue) -> [String] {
        var problems: [String] = []
        check(document, against: schema, at: "", into: &problems, depth: 0)
        return problems
    }

    private func check(_ value: JSONValue, against schema: JSONValue, at path: String, into problems: inout [String], depth: Int) {
        guard problems.count < Self.problemLimit, depth < 64 else { return }
        func report(_ problem: String) {
            if problems.count < Self.problemLimit { problems.append("\(path.isEmpty ? "/" : path): \(problem)") }
        }
        if let reference = schema["$ref"]?.stringValue {
            let name = reference.hasPrefix("#/$defs/") ? String(reference.dropFirst("#/$defs/".count)) : reference
            guard let definition = self.schema["$defs"]?[name] else { return report("the schema's \(reference) is unknown") }
            return check(value, against: definition, at: path, into: &problems, depth: depth + 1)
        }
        if let types = schema["type"].map({ $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }),
            !types.contains(where: { Self.has(value, type: $0) })
        {
            return report("expected \(types.joined(separator: " or ")), found \(Self.typeName(of: value))")
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            report("\(Self.short(value)) is not one of \(allowed.map(Self.short).joined(separator: ", "))")
        }
        switch value {
        case .object(let members):
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                report("required member \"\(name)\" is missing")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    check(member, against: property, at: path + "/" + Self.escaped(name), into: &problems, depth: depth + 1)
                } else if schema["additionalProperties"]?.boolValue == false {
                    report("member \(Self.short(.string(name))) is not allowed here")
                }
            }
        case .array(let elements):
            if let minimum = schema["minItems"]?.doubleValue, Double(elements.count) < minimum { report("fewer than \(Int(minimum)) elements") }
            if let maximum = schema["maxItems"]?.doubleValue, Double(elements.count) > maximum { report("more than \(Int(maximum)) elements") }
            if let items = schema["items"] {
                for (index, element) in elements.enumerated() {
                    check(element, against: items, at: path + "/\(index)", into: &problems, depth: depth + 1)
                }
            }
        case .string(let string):
            let length = string.count
            if let minimum = schema["minLength"]?.doubleValue, Double(length) < minimum { report("shorter than \(Int(minimum)) characters") }
            if let maximum = schema["maxLength"]?.doubleValue, Double(length) > maximum {
                report("longer than \(Int(maximum)) characters")
            } else if let pattern = schema["pattern"]?.stringValue, let expression = patterns[pattern],
                expression.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
            {
                report("\(Self.short(value)) does not match \(pattern)")
            }
        case .integer, .number:
            let number = value.doubleValue ?? 0
            if let minimum = schema["minimum"]?.doubleValue, number < minimum { report("less than \(minimum)") }
            if let maximum = schema["maximum"]?.doubleValue, number > maximum { report("more than \(maximum)") }
        case .null, .bool:
            break
        }
    }

    private static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null), ("integer", .integer),
            ("number", .integer), ("number", .number):
            true
        case ("integer", .number(let number)):
            number.rounded() == number
        default:
            false
        }
    }

    private static func typeName(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A value as it appears in a message: JSON, cut at 60 characters.
    private static func short(_ value: JSONValue) -> String {
        let text = (try? JSONCoding.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
        return text.count > 60 ? text.prefix(57) + "…" : text
    }

    /// A member name as a JSON Pointer segment (RFC 6901).
    private static func escaped(_ name: String) -> String {
        name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
