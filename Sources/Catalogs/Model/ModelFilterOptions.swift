import CatalogPluginSDK

/// `GET /models/filter_options`, keyed as upstream names them: declared model fields by name
/// (`license`, `provider`, `tasks`, …), custom properties as `<name>.<string_value|int_value|
/// double_value|bool_value>`, and the artifacts' custom properties as `artifacts.<name>.<…_value>`.
/// Strings list their values when there are fewer than 50, each at most 100 characters;
/// numbers give their range. Named queries come with `min`/`max` resolved.
enum ModelFilterOptions {
    /// Fields upstream leaves out: links, pictures, ids and the artifact kind.
    static let skipped: Set<String> = ["source_id", "logo", "licenseLink", "readme", "metricsType"]
    static let maximumValueLength = 100

    static func document(models: [JSONValue], definition: EntityDefinition, namedQueries: [String: JSONValue]) -> JSONValue {
        var values: [String: [JSONValue]] = [:]
        var numeric: [String: Bool] = [:]
        for field in definition.fields where field.filterable && !field.path.contains(".") && !skipped.contains(field.path) {
            values[field.path] = models.flatMap { FieldValues.values(at: [field.path], in: $0) }
            numeric[field.path] = field.type.isNumeric
        }
        func collect(_ properties: JSONValue?, prefix: String) {
            for (name, property) in properties?.objectValue ?? [:] where !skipped.contains(name) {
                let metadata = ModelData.metadataValue(property)
                guard let (suffix, value) = ["string_value", "int_value", "double_value", "bool_value"].lazy
                    .compactMap({ key in metadata[key].map { (key, $0) } }).first
                else { continue }
                let key = prefix + name + "." + suffix
                values[key, default: []].append(suffix == "int_value" ? (FieldValues.number(value).map(JSONValue.number) ?? value) : value)
                numeric[key] = suffix == "int_value" || suffix == "double_value"
            }
        }
        for model in models {
            collect(model["customProperties"], prefix: "")
            for artifact in model["artifacts"]?.arrayValue ?? [] { collect(artifact["customProperties"], prefix: "artifacts.") }
        }
        var filters: [String: JSONValue] = [:]
        for (key, all) in values {
            let isNumeric = numeric[key] ?? false
            if !isNumeric, all.contains(where: { (FieldValues.text($0)?.count ?? 0) > maximumValueLength }) { continue }
            filters[key] = FilterOptions.option(numeric: isNumeric, values: all)
        }
        return FilterOptions.document(filters: filters, namedQueries: namedQueries)
    }
}
