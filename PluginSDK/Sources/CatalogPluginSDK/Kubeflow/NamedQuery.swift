/// Named queries as upstream writes them: `{field: {operator, value}}`.
///
/// ```yaml
/// namedQueries:
///   large-models:
///     size_billions: {operator: ">=", value: 30}
///     license: {operator: IN, value: [apache-2.0, mit]}
/// ```
///
/// ```swift
/// let filter = try NamedQuery.filter(request, namedQueries: configuration.namedQueries,
///                                    fields: engine.definition.filterFields)
/// // GET …?namedQuery=large-models: filter?.text == "(license IN ('apache-2.0', 'mit') AND size_billions >= 30)"
/// ```
public enum NamedQuery {
    /// The filter text of a named query, its conditions joined by AND.
    ///
    /// - Parameter filters: The query's conditions, `{field: {operator, value}}`.
    /// - Returns: The conditions as `filterQuery` text, in the order of their field names.
    /// - Throws: ``PluginError`` (400) for a condition without operator or value.
    public static func filterText(_ filters: [String: JSONValue]) throws -> String {
        try filters.sorted { $0.key < $1.key }.map { field, condition in
            guard let op = condition["operator"]?.stringValue?.uppercased(), let value = condition["value"] else {
                throw PluginError.badRequest("named query field \(field) needs an operator and a value")
            }
            let name = isPath(field) ? field : "`" + field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
            if op == "IN" || op == "NOT IN" {
                let values = (value.arrayValue ?? [value]).map(literal).joined(separator: ", ")
                return "\(name) \(op) (\(values))"
            }
            return "\(name) \(op) \(literal(value))"
        }.joined(separator: " AND ")
    }

    /// The request's `filterQuery` joined by AND with the named query its `namedQuery`
    /// parameter names, if any, parsed against `fields`.
    ///
    /// - Parameters:
    ///   - request: The list request.
    ///   - namedQueries: The catalog's named queries.
    ///   - fields: How names resolve in the catalog.
    /// - Returns: `nil` when the request has neither.
    /// - Throws: ``PluginError`` (400) for an unknown named query; the parser's error for a
    ///   malformed filter.
    public static func filter(_ request: PluginRequest, namedQueries: [String: JSONValue], fields: FilterFields) throws -> FilterQuery? {
        guard let named = request.query("namedQuery"), !named.isEmpty else { return nil }
        guard let filters = namedQueries[named]?.objectValue else {
            throw PluginError.badRequest("namedQuery \"\(named)\" is not defined; defined: \(namedQueries.keys.sorted().joined(separator: ", "))")
        }
        let combined = [try filterText(filters.dictionary), request.query("filterQuery")].compactMap { $0 }.filter { !$0.isEmpty }
            .map { "(\($0))" }.joined(separator: " AND ")
        return try FilterQuery(combined, fields: fields)
    }

    /// Whether `field` is a dotted path of plain names (`artifacts.overall_average`), written
    /// bare so its segments keep their meaning; any other name is quoted as one name.
    private static let keywords: Set<String> = ["AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "IS", "NULL", "TRUE", "FALSE"]

    private static func isPath(_ field: String) -> Bool {
        field.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { segment in
            guard let first = segment.first, first.isASCII, first.isLetter || first == "_", !keywords.contains(segment.uppercased()) else { return false }
            return segment.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    private static func literal(_ value: JSONValue) -> String {
        switch value {
        case .bool(let flag): flag ? "TRUE" : "FALSE"
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .null: "NULL"
        case .string(let text): "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        // Lists and mappings are not values of a condition: their JSON text compares as a string.
        default: "'" + (((try? JSONCoding.encode(value)).map { String(decoding: $0, as: UTF8.self) }) ?? "")
            .replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    /// The query with values `min` and `max` replaced by the bounds of that field's range, as
    /// upstream's filter options resolve them (a custom property's range is found with or
    /// without its `.double_value` / `.int_value` suffix).
    ///
    /// - Parameters:
    ///   - query: A named query, `{field: {operator, value}}`.
    ///   - ranges: Field name → filter option (``FilterOptions``).
    /// - Returns: The query with its `min`/`max` values resolved where a range is known.
    public static func resolvingRanges(_ query: JSONValue, ranges: [String: JSONValue]) -> JSONValue {
        guard let filters = query.objectValue else { return query }
        return .object(Dictionary(uniqueKeysWithValues: filters.map { field, condition in
            guard var object = condition.objectValue, let bound = object["value"]?.stringValue, bound == "min" || bound == "max",
                let value = (ranges[field] ?? ranges[field + ".double_value"] ?? ranges[field + ".int_value"])?["range"]?[bound]
            else { return (field, condition) }
            object["value"] = value
            return (field, .object(object))
        }))
    }
}
