/// An entity's source id and name: its identity when names are unique per source.
struct SourcedName: Hashable, Sendable {
    var source: String
    var name: String

    init(source: String, name: String) {
        self.source = source
        self.name = name
    }

    init(_ entity: JSONValue) {
        self.init(source: entity["source_id"]?.stringValue ?? "", name: entity["name"]?.stringValue ?? "")
    }
}
