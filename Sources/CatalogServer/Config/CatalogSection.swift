import CatalogJSON

/// One plugin's section of `sources.yaml`: `catalogs.{key}`.
public struct CatalogSection: Sendable, Hashable {
    /// Source objects in order; each has a string `id` and the `origin` file that defined it last.
    public var sources: [JSONValue] = []
    public var labels: JSONValue = .array([])
    public var namedQueries: [String: JSONValue] = [:]
    /// The plugin's own settings (`catalogs.{key}.settings`), handed over as they are written.
    public var settings: [String: JSONValue] = [:]

    /// The keys a section may have; any other is ignored with a warning.
    static let keys: Set<String> = ["sources", "labels", "namedQueries", "settings"]

    public init() {}

    /// The section as the JSON object handed to a plugin's `init` and `config.apply`.
    public var json: JSONValue {
        ["sources": .array(sources), "labels": labels, "namedQueries": .object(namedQueries), "settings": .object(settings)]
    }

    /// How a later file's section merges into the sections before it: by the later file's format.
    enum MergeRules: Sendable {
        /// catalog-server's own: a non-empty later field wins, `properties` merge key by key,
        /// non-empty `labels` replace, `namedQueries` unite with later names winning.
        case catalogServer
        /// Upstream's: a later field wins when the file sets it (an explicit `false` or `[]`
        /// too; strings when non-empty), `properties` are replaced whole, labels unite and a
        /// label name set by another file is an error, and a named query of the same name has
        /// its filters combined field by field, the later winning.
        case upstream
    }

    /// Two files disagree in a way the later one's format forbids.
    struct MergeError: Error {
        var problem: String
    }

    /// Merges a later file's section into this one; a source with a known `id` is merged field
    /// by field and a new `id` is appended, by `rules`.
    mutating func merge(_ later: CatalogSection, rules: MergeRules = .catalogServer) throws(MergeError) {
        for source in later.sources {
            if let index = sources.firstIndex(where: { $0["id"] == source["id"] }) {
                sources[index] = Self.mergeSource(sources[index], source, rules: rules)
            } else {
                sources.append(source)
            }
        }
        // A later file's settings win key by key.
        settings.merge(later.settings) { _, last in last }
        switch rules {
        case .catalogServer:
            if !later.labels.isEmpty { labels = later.labels }
            namedQueries.merge(later.namedQueries) { _, last in last }
        case .upstream:
            var united = labels.arrayValue ?? []
            for label in later.labels.arrayValue ?? [] {
                if united.contains(where: { $0["name"] == label["name"] }) {
                    throw MergeError(problem: "label with name '\(label["name"]?.stringValue ?? "")' already exists from another file")
                }
                united.append(label)
            }
            labels = .array(united)
            for (name, query) in later.namedQueries {
                let combined = (namedQueries[name]?.objectValue ?? [:]).merging(query.objectValue ?? [:]) { _, last in last }
                namedQueries[name] = .object(combined)
            }
        }
    }

    private static func mergeSource(_ earlier: JSONValue, _ later: JSONValue, rules: MergeRules) -> JSONValue {
        guard var merged = earlier.objectValue, let overrides = later.objectValue else { return later }
        if rules == .upstream {
            for (field, value) in overrides where value != .null && (value.stringValue.map { !$0.isEmpty } ?? true) {
                // The origin follows the properties, whose relative paths it was the base of.
                if field == "origin" && overrides["properties"] == nil { continue }
                merged[field] = value
            }
            return .object(merged)
        }
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
