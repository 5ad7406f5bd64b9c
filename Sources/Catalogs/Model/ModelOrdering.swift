import CatalogPluginSDK

/// The `orderBy` values of the contract beyond `NAME`, `ID`, `CREATE_TIME` and
/// `LAST_UPDATE_TIME`, as upstream sorts them:
///
/// - `ACCURACY`: the `overall_average` property of the model's artifacts (as below);
/// - `<property>.<string_value|double_value|int_value>`: a model field (`provider.string_value`)
///   or custom property;
/// - `artifacts.<property>.<…_value>`: a field or custom property of the model's artifacts, the
///   smallest value for `ASC` and the largest for `DESC` (the best in each direction).
///
/// Models without the value come last in both directions. A declared sortable field's name
/// (`provider`, `license`: catalog-server's own form) orders by that field; a declared field
/// that does not sort (`readme`) is a 400. Any other value
/// orders by `ID`, as upstream falls back without an error.
enum ModelOrdering {
    static let valueTypes = ["string_value", "double_value", "int_value"]

    /// The custom order for a request sorted `descending` or not.
    static func custom(descending: Bool, definition: EntityDefinition) -> ListQuery.CustomOrder {
        { value in
            if ["NAME", "ID", "CREATE_TIME", "LAST_UPDATE_TIME"].contains(value) { return nil }
            // catalog-server's own orderBy: a declared sortable field.
            if let declared = definition.field(named: value) {
                guard declared.sortable else { throw PluginError.badRequest("orderBy \"\(value)\" is not a sortable field") }
                return (declared, { FieldValues.first(declared.path, in: $0) })
            }
            let parts = (value == "ACCURACY" ? "artifacts.overall_average.double_value" : value)
                .split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let fallback = definition.field(named: "name") ?? FieldDefinition("name", "Name")
            guard let type = parts.last, valueTypes.contains(type), parts.allSatisfy({ !$0.isEmpty }) else {
                return (fallback, { $0["name"] })
            }
            let field = FieldDefinition(value, value, type: type == "string_value" ? .string : .number)
            switch parts.count {
            case 2:
                let name = parts[0]
                let declared = definition.field(named: name)
                if let declared, !declared.sortable {
                    throw PluginError.badRequest("orderBy \"\(value)\": \(name) is not a sortable field")
                }
                let paths = declared != nil ? [[name]] : [["customProperties", name]]
                return (field, { entity in extreme(values(paths, in: entity), largest: true) })
            case 3 where parts[0] == "artifacts":
                let name = parts[1]
                let paths = [[name], ["customProperties", name]]
                return (field, { entity in
                    let artifacts = entity["artifacts"]?.arrayValue ?? []
                    return extreme(artifacts.flatMap { values(paths, in: $0) }, largest: descending)
                })
            default:
                return (fallback, { $0["name"] })
            }
        }
    }

    private static func values(_ paths: [[String]], in entity: JSONValue) -> [JSONValue] {
        paths.flatMap { FieldValues.values(at: $0, in: entity) }
    }

    /// The largest or smallest of `values`: numbers when all are numbers, else text.
    private static func extreme(_ values: [JSONValue], largest: Bool) -> JSONValue? {
        let numbers = values.compactMap(FieldValues.number)
        if numbers.count == values.count, let pick = largest ? numbers.max() : numbers.min() { return .number(pick) }
        let texts = values.compactMap(FieldValues.text)
        return (largest ? texts.max() : texts.min()).map(JSONValue.string)
    }
}
