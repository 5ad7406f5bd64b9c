import CatalogJSON

/// One plugin's section of `sources.yaml`: `catalogs.{key}`.
public struct CatalogSection: Sendable, Hashable {
    /// Source objects in order; each has a string `id` and the `origin` file that defined it last.
    public var sources: [JSONValue] = []
    public var labels: JSONValue = .array([])
    public var namedQueries: [String: JSONValue] = [:]

    public init() {}

    /// The section as the JSON object handed to a plugin's `init`.
    public var json: JSONValue {
        ["sources": .array(sources), "labels": labels, "namedQueries": .object(namedQueries)]
    }

    /// Merges a later file's section into this one: a source with a known `id` is merged field
    /// by field (a non-empty later field wins; `properties` merge key by key), a new `id` is
    /// appended, non-empty `labels` replace, and `namedQueries` are united with later names winning.
    mutating func merge(_ later: CatalogSection) {
        for source in later.sources {
            if let index = sources.firstIndex(where: { $0["id"] == source["id"] }) {
                sources[index] = Self.mergeSource(sources[index], source)
            } else {
                sources.append(source)
            }
        }
        if !later.labels.isEmpty { labels = later.labels }
        namedQueries.merge(later.namedQueries) { _, last in last }
    }

    private static func mergeSource(_ earlier: JSONValue, _ later: JSONValue) -> JSONValue {
        guard var merged = earlier.objectValue, let overrides = later.objectValue else { return later }
        for (field, value) in overrides where !value.isEmpty {
            if field == "properties", let base = merged[field]?.objectValue, let extra = value.objectValue {
                merged[field] = .object(base.merging(extra.filter { !$0.value.isEmpty }) { _, last in last })
            } else {
                merged[field] = value
            }
        }
        return .object(merged)
    }
}
