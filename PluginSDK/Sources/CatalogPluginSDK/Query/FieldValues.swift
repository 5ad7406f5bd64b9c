/// Reads values out of entities by dotted path, the way filters and ordering see them.
public enum FieldValues {
    /// Every value at `path` in `entity`. Lists fan out (so `tasks` or `tools.skillRef` yield
    /// each element), and model-registry property objects such as
    /// `{"string_value": "x", "metadataType": "MetadataStringValue"}` read as their value.
    ///
    /// ```swift
    /// FieldValues.values(at: ["tools", "skillRef"], in: agent)    // every tool's skillRef
    /// ```
    ///
    /// - Parameters:
    ///   - path: The path, segment by segment.
    ///   - entity: The entity to read.
    /// - Returns: Every value found, `null`s left out; empty when the path is missing.
    public static func values(at path: [String], in entity: JSONValue) -> [JSONValue] {
        var found: [JSONValue] = []
        _ = contains(at: path, in: entity) { found.append($0); return false }
        return found
    }

    /// Whether a value at `path` in `entity` satisfies `predicate`: the values ``values(at:in:)``
    /// finds, read one by one in the same order without collecting them, until one does. A
    /// filter asks this of every entity of a catalog, so it allocates nothing.
    ///
    /// ```swift
    /// FieldValues.contains(at: ["tasks"], in: model) { $0 == "summarization" }
    /// ```
    ///
    /// - Parameters:
    ///   - path: The path, segment by segment.
    ///   - entity: The entity to read.
    ///   - predicate: Tells whether a value is the one looked for.
    /// - Returns: `true` as soon as `predicate` holds for a value; `false` when none does.
    public static func contains(at path: [String], in entity: JSONValue, where predicate: (JSONValue) -> Bool) -> Bool {
        fanningOut(entity) { step(path, 0, $0, predicate) }
    }

    /// `visit` of each element of `value` when it is a list (one level), else of `value`, until one is `true`.
    @inline(__always)
    private static func fanningOut(_ value: JSONValue, _ visit: (JSONValue) -> Bool) -> Bool {
        if case .array(let elements) = value {
            for element in elements where visit(element) { return true }
            return false
        }
        return visit(value)
    }

    /// Reads `path` from segment `index` on in `value`, one element of a fanned-out list.
    private static func step(_ path: [String], _ index: Int, _ value: JSONValue, _ predicate: (JSONValue) -> Bool) -> Bool {
        guard index < path.count else {
            let value = unwrapped(value)
            if case .null = value { return false }
            return predicate(value)
        }
        guard case .object(let object) = value, let next = object[path[index]] else { return false }
        return fanningOut(next) { step(path, index + 1, $0, predicate) }
    }

    /// The first value at a dotted path such as `customProperties.size`.
    ///
    /// - Parameters:
    ///   - path: The dotted path.
    ///   - entity: The entity to read.
    /// - Returns: The first value ``values(at:in:)`` finds, or `nil`.
    public static func first(_ path: String, in entity: JSONValue) -> JSONValue? {
        first(at: path.split(separator: ".").map(String.init), in: entity)
    }

    /// The first value at `path`, split into its segments: what ``values(at:in:)`` finds
    /// first, read without building the lists of values on the way while no list is crossed
    /// (a sort key of every entity, per request).
    ///
    /// - Parameters:
    ///   - path: The path's segments.
    ///   - entity: The entity to read.
    /// - Returns: The first value found, or `nil`.
    static func first(at path: [String], in entity: JSONValue) -> JSONValue? {
        var current = entity
        for (index, segment) in path.enumerated() {
            switch current {
            case .object(let object):
                guard let next = object[segment] else { return nil }
                current = next
            case .array:
                return values(at: Array(path[index...]), in: current).first
            default:
                return nil
            }
        }
        if case .array = current { return values(at: [], in: current).first }
        let value = unwrapped(current)
        if value == .null { return nil }  // (not `? nil :`: JSONValue takes `nil` as .null)
        return value
    }

    private static let propertyValueKeys = ["string_value", "int_value", "double_value", "bool_value"]

    private static func unwrapped(_ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value else { return value }
        for key in propertyValueKeys {
            if let inner = object[key] {
                // int_value is a string in model-registry data ("2"); read it as the number it is.
                if key == "int_value", let text = inner.stringValue, let integer = Int64(text) { return .integer(integer) }
                return inner
            }
        }
        return value
    }

    /// The number a value stands for: a JSON number, or a string that spells a finite one
    /// (not `nan` or `inf`, which JSON cannot carry).
    ///
    /// - Parameter value: A value as ``values(at:in:)`` reads it.
    /// - Returns: The number, or `nil` when the value is not one.
    public static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let integer): Double(integer)
        case .number(let number): number.isFinite ? number : nil
        case .string(let text): Double(text).flatMap { $0.isFinite ? $0 : nil }
        default: nil
        }
    }

    /// The text a scalar value reads as.
    ///
    /// - Parameter value: A value as ``values(at:in:)`` reads it.
    /// - Returns: A string as it is, a number (integral ones without a fraction) or Boolean
    ///   spelled out; `nil` for `null`, arrays and objects.
    public static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let integer): String(integer)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let bool): String(bool)
        default: nil
        }
    }
}
