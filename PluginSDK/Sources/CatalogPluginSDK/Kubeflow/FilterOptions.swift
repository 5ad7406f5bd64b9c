/// The contract's `filter_options` document: for each filterable field the values it takes
/// (strings) or their range (numbers), and the catalog's named queries with `min` and `max`
/// resolved to the bounds of those ranges.
///
/// ```swift
/// var filters = FilterOptions.filters(for: definition.fields, in: entities)
/// return FilterOptions.document(filters: filters, namedQueries: configuration.namedQueries)
/// ```
public enum FilterOptions {
    /// Distinct string values listed at most (fewer than 50, as upstream); a field with more is left out.
    public static let maximumValues = 49

    /// The option of every filterable top-level field of `fields` that has values in `entities`.
    ///
    /// - Parameters:
    ///   - fields: The catalog's fields.
    ///   - entities: The catalog's entities.
    /// - Returns: Field path → option (see ``option(numeric:values:)``).
    public static func filters(for fields: [FieldDefinition], in entities: [JSONValue]) -> [String: JSONValue] {
        var filters: [String: JSONValue] = [:]
        for field in fields where field.filterable && !field.path.contains(".") {
            filters[field.path] = option(numeric: field.type.isNumeric, values: entities.flatMap { FieldValues.values(at: [field.path], in: $0) })
        }
        return filters
    }

    /// One field's option: `{type: number, range}` when `numeric`, else `{type: string, values}`;
    /// `nil` when there is nothing to offer or too many strings.
    ///
    /// - Parameters:
    ///   - numeric: Whether the field holds numbers.
    ///   - values: Every value of the field, repeats included.
    /// - Returns: The option, or `nil`.
    public static func option(numeric: Bool, values: [JSONValue]) -> JSONValue? {
        if numeric {
            let numbers = values.compactMap(FieldValues.number)
            guard let low = numbers.min(), let high = numbers.max() else { return nil }
            return ["type": "number", "range": ["min": .number(low), "max": .number(high)]]
        }
        let texts = Set(values.compactMap(FieldValues.text))
        guard !texts.isEmpty, texts.count <= maximumValues else { return nil }
        return ["type": "string", "values": .array(texts.sorted().map(JSONValue.string))]
    }

    /// The document: `filters` and the named queries, their `min`/`max` values resolved.
    ///
    /// - Parameters:
    ///   - filters: Field name → option.
    ///   - namedQueries: The catalog's named queries, `{field: {operator, value}}` each.
    /// - Returns: `{"filters": {…}, "namedQueries": {…}}`.
    public static func document(filters: [String: JSONValue], namedQueries: [String: JSONValue]) -> JSONValue {
        ["filters": .object(filters), "namedQueries": .object(namedQueries.mapValues { NamedQuery.resolvingRanges($0, ranges: filters) })]
    }
}
