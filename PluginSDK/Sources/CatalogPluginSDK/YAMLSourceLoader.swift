import Foundation

/// The outcome of loading one configured source.
public struct SourceState: Sendable {
    /// Whether the source's entities are served.
    public enum Availability: String, Sendable {
        /// `available`: every entity of the source loaded; `error`: the source could not be
        /// read (``SourceState/error`` says why) and serves nothing; `disabled`: the source
        /// is configured with `enabled: false`.
        case available, error, disabled
        /// Some entities loaded; others were refused by the catalog's checks (``SourceState/error`` says which).
        case partiallyAvailable = "partially-available"
    }

    /// The source as configured.
    public var configuration: SourceConfiguration
    /// Whether its entities are served.
    public var availability: Availability
    /// Entities of the source that are served.
    public var entityCount: Int
    /// Why the source is in error, or which entities were refused when it is partially
    /// available: names the file, and the line when the YAML is malformed.
    public var error: String?
    /// When the source was last loaded.
    public var loadedAt: Date

    /// The reference's SourceInfo shape:
    /// `{id, name, type, enabled, labels, properties, status {state, entityCount, lastRefreshTime, lastRefreshStatus, error}}`.
    public var info: JSONValue {
        var status: [String: JSONValue] = [
            "state": .string(availability.rawValue), "entityCount": .integer(Int64(entityCount)),
            "lastRefreshTime": .string(ISO8601DateFormatter().string(from: loadedAt)),
            "lastRefreshStatus": .string(availability == .error ? "error" : "success"),
        ]
        if let error { status["error"] = .string(error) }
        return [
            "id": .string(configuration.id), "name": .string(configuration.name), "type": .string(configuration.type),
            "enabled": .bool(configuration.enabled), "labels": .array(configuration.labels.map(JSONValue.string)),
            "properties": .object(configuration.properties), "status": .object(status),
        ]
    }
}

/// Entities read from a catalog's sources, and the state of each source.
public struct SourceSnapshot: Sendable {
    /// Entities of every source that loaded, sorted by name, each with a `source_id`.
    public var entities: [JSONValue]
    /// The state of every configured source, in order.
    public var sources: [SourceState]
}

/// Reads `yaml` sources: each source's `properties.yamlCatalogPath` names a YAML file whose
/// top-level list, under the first of `listKeys` it has, holds entity mappings with a `name`.
///
/// `includedItems` globs keep only matching names (all when empty), then `excludedItems`
/// globs drop matching ones. A source that cannot be read, or is of another type, is put in
/// error with the reason; the other sources still load. An entity the definition's
/// ``EntityDefinition/check`` refuses is left out and its source is partially available.
/// A name counts once per ``EntityDefinition/NameScope``: with `.catalog` the earlier source
/// wins, with `.source` each source keeps its own; within one source the first entry wins.
///
/// ``CatalogEngine`` uses one; a plugin that keeps its own state can use it directly:
///
/// ```swift
/// let loader = YAMLSourceLoader(listKeys: ["tools"])
/// let snapshot = loader.load(context.configuration.sources)
/// for source in snapshot.sources where source.availability == .error {
///     context.logger.error("source \(source.configuration.id): \(source.error ?? "")")
/// }
/// ```
public struct YAMLSourceLoader: Sendable {
    /// The keys the entity list may stand under, in order of preference.
    public var listKeys: [String]
    /// Where a name must be unique.
    public var nameScope: EntityDefinition.NameScope
    /// Refuses single entities, with the reason.
    public var check: EntityDefinition.Check?

    /// A loader.
    ///
    /// - Parameters:
    ///   - listKeys: The keys the entity list may stand under, e.g. `["mcpservers", "mcp_servers"]`.
    ///   - nameScope: Where a name must be unique.
    ///   - check: Refuses single entities, with the reason.
    public init(listKeys: [String], nameScope: EntityDefinition.NameScope = .catalog, check: EntityDefinition.Check? = nil) {
        self.listKeys = listKeys
        self.nameScope = nameScope
        self.check = check
    }

    /// Loads every source: each one's entities, or the reason it is in error.
    ///
    /// - Parameter sources: The catalog's configured sources, in order.
    /// - Returns: The entities of every source that loaded, sorted by name, and the state of
    ///   every source.
    public func load(_ sources: [SourceConfiguration]) -> SourceSnapshot {
        var seen: Set<String> = []
        var entities: [(name: String, order: Int, entity: JSONValue)] = []
        var states: [SourceState] = []
        for (order, source) in sources.enumerated() {
            var state = SourceState(configuration: source, availability: .available, entityCount: 0, error: nil, loadedAt: Date())
            if !source.enabled {
                state.availability = .disabled
            } else {
                do {
                    let (loaded, refused) = try self.entities(of: source)
                    if !refused.isEmpty {
                        state.availability = .partiallyAvailable
                        state.error = refused.prefix(10).joined(separator: "; ") + (refused.count > 10 ? "; and \(refused.count - 10) more" : "")
                    }
                    for entity in loaded {
                        let name = entity["name"]!.stringValue!
                        let key = nameScope == .catalog ? name : source.id + "\u{0}" + name
                        guard seen.insert(key).inserted else { continue }
                        entities.append((name, order, entity))
                        state.entityCount += 1
                    }
                } catch {
                    state.availability = .error
                    state.error = "\(error)"
                }
            }
            states.append(state)
        }
        entities.sort { ($0.name, $0.order) < ($1.name, $1.order) }
        return SourceSnapshot(entities: entities.map(\.entity), sources: states)
    }

    /// What is wrong with `source`'s configuration before its file is read: a type other than
    /// `yaml`, or no `properties.yamlCatalogPath`.
    ///
    /// - Parameter source: A configured source.
    /// - Returns: The problem, or `nil` when the configuration is complete.
    public static func configurationProblem(of source: SourceConfiguration) -> SourceProblem? {
        guard source.type == "yaml" else {
            return SourceProblem(field: "type", message: "source type \"\(source.type)\" is not supported; supported types: yaml")
        }
        guard let path = source.properties["yamlCatalogPath"]?.stringValue, !path.isEmpty else {
            return SourceProblem(field: "properties.yamlCatalogPath", message: "a yaml source needs properties.yamlCatalogPath")
        }
        return nil
    }

    /// The entities of `source` that pass its patterns and the check, and the reasons of those refused.
    private func entities(of source: SourceConfiguration) throws -> (loaded: [JSONValue], refused: [String]) {
        if let problem = Self.configurationProblem(of: source) { throw SourceError(problem.message) }
        let path = source.properties["yamlCatalogPath"]?.stringValue ?? ""
        var document = try YAMLDocument.load(path: path, itemRoom: 1)  // for source_id
        guard let listKey = listKeys.first(where: { document[$0] != nil }), case .array(var list)? = document[listKey] else {
            throw YAMLDocumentError(path: path, problem: "expected a top-level list " + listKeys.map { "\"\($0)\"" }.joined(separator: " or "))
        }
        document = .null  // the list alone holds the entities: each is taken out and completed in place, not copied
        let included = source.includedItems.map(WildcardPattern.glob)
        let excluded = source.excludedItems.map(WildcardPattern.glob)
        var refused: [String] = []
        var loaded: [JSONValue] = []
        loaded.reserveCapacity(list.count)
        for index in list.indices {
            var entity = JSONValue.null
            swap(&entity, &list[index])
            guard case .object(var object) = consume entity, let name = object["name"]?.stringValue, !name.isEmpty else {
                throw YAMLDocumentError(path: path, problem: "\(listKey)[\(index)] must be a mapping with a non-empty name")
            }
            if !included.isEmpty && !included.contains(where: { $0.matches(name) }) { continue }
            if excluded.contains(where: { $0.matches(name) }) { continue }
            if let problem = check?(object) {
                refused.append("\(path): \(listKey)[\(index)] \"\(name)\": \(problem)")
                continue
            }
            object["source_id"] = .string(source.id)
            loaded.append(.object(object))
        }
        return (loaded, refused)
    }
}

/// A source that cannot be loaded for a reason other than its file.
struct SourceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
