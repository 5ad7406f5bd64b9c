import Foundation

/// Entities read from a catalog's `yaml` sources, and the state of each source.
public struct YAMLSourceSnapshot: Sendable {
    /// Entities of every enabled source that loaded, in source order, each with a
    /// `source_id` member naming its source.
    public var entities: [JSONValue]
    /// Per source id: `nil` when it loaded, else why it did not.
    public var errors: [String: String]
}

/// Reads the entities of `yaml` sources: each source's `properties.yamlCatalogPath` names a
/// YAML file whose top-level `listKey` holds a list of entity mappings.
///
/// A source that cannot be read only puts that source in error; the others still load.
public struct YAMLSourceLoader: Sendable {
    /// The top-level key of the entity list, e.g. `knowledgesources`.
    public var listKey: String

    public init(listKey: String) {
        self.listKey = listKey
    }

    public func load(_ sources: [SourceConfiguration]) -> YAMLSourceSnapshot {
        var snapshot = YAMLSourceSnapshot(entities: [], errors: [:])
        for source in sources where source.enabled && source.type == "yaml" {
            do {
                snapshot.entities += try entities(of: source)
            } catch {
                snapshot.errors[source.id] = "\(error)"
            }
        }
        return snapshot
    }

    private func entities(of source: SourceConfiguration) throws -> [JSONValue] {
        guard let path = source.properties["yamlCatalogPath"]?.stringValue, !path.isEmpty else {
            throw PluginError.badRequest("source \"\(source.id)\" has no properties.yamlCatalogPath")
        }
        let document = try YAMLDocument.load(path: path)
        guard let list = document[listKey]?.arrayValue else {
            throw YAMLDocumentError(path: path, problem: "expected a top-level list \"\(listKey)\"")
        }
        return try list.enumerated().map { index, entity in
            guard var object = entity.objectValue, object["name"]?.stringValue?.isEmpty == false else {
                throw YAMLDocumentError(path: path, problem: "\(listKey)[\(index)] must be a mapping with a name")
            }
            object["source_id"] = .string(source.id)
            return .object(object)
        }
    }
}
