/// How a catalog resolves the names in a `filterQuery`, as upstream's catalog does on top of the
/// declared fields:
///
/// - a name whose first segment is a declared field reads that path (`tasks`, `customProperties.size`);
/// - a name that is not a field is a **custom property** when the catalog has a `customProperties`
///   field: `size IN ('7B','13B')` reads `customProperties.size`, and a backtick-quoted name is one
///   property name whatever it holds: a quoted `mlflow.source.type` is one name, not a path;
/// - a last segment `string_value`, `int_value`, `double_value` or `bool_value` picks that value
///   of a property explicitly (`size.string_value = '7B'`); without it a property reads as its value;
/// - a name under a sub-entity list (`artifacts.format`) reads a field or custom property of the
///   list's elements: the condition holds when one element satisfies it, and such conditions joined
///   by AND must hold on the same element.
///
/// A catalog without `customProperties` refuses unknown names with their position.
public struct FilterFields: Sendable {
    /// Whether a path may start with this declared field.
    public var isField: @Sendable (String) -> Bool
    /// The field holding custom properties, when the catalog has one.
    public var customProperties: String?
    /// Lists of sub-entities a query may reach into, e.g. `artifacts`.
    public var scopes: Set<String>
    /// Names that stand for another path, e.g. `verifiedSource` for `securityIndicators.verifiedSource`.
    public var aliases: [String: [String]] = [:]

    /// - Parameters:
    ///   - isField: Whether a path may start with this declared field.
    ///   - customProperties: The field holding custom properties, or `nil`.
    ///   - scopes: Lists of sub-entities a query may reach into.
    public init(isField: @escaping @Sendable (String) -> Bool, customProperties: String? = nil, scopes: Set<String> = []) {
        self.isField = isField
        self.customProperties = customProperties
        self.scopes = scopes
    }

    /// Every name is a field: what a query without a catalog sees.
    public static let any = FilterFields(isField: { _ in true })

    static let valueKeys: Set<String> = ["string_value", "int_value", "double_value", "bool_value"]

    /// The resolved path of `segments`, or `nil` for an unknown field.
    func resolve(_ segments: [String]) -> FieldPath? {
        if let scope = segments.first, scopes.contains(scope) {
            guard segments.count > 1 else { return nil }  // the list itself is not a value
            let rest = Array(segments.dropFirst())
            // A field of the element, or one of its custom properties.
            return FieldPath(segments: segments, paths: [rest, ["customProperties"] + rest], scope: scope)
        }
        if let alias = aliases[segments[0]] {
            return FieldPath(segments: segments, paths: [alias + segments.dropFirst()], scope: nil)
        }
        if isField(segments[0]) {
            // A value suffix on a plain field (`name.string_value`) names the field itself.
            let plain = segments[0] != customProperties && segments.count > 1 && Self.valueKeys.contains(segments.last!)
            return FieldPath(segments: segments, paths: plain ? [segments, Array(segments.dropLast())] : [segments], scope: nil)
        }
        guard let customProperties else { return nil }
        return FieldPath(segments: segments, paths: [[customProperties] + segments], scope: nil)
    }
}
