import Foundation
import Synchronization

/// Everything a catalog of one entity kind needs: loading its sources, serving list and get
/// with the shared query engine, its capabilities document and asset envelopes.
///
/// Reloading swaps the whole snapshot at once, so a request sees either the old catalog or
/// the new one, never a mix.
public final class CatalogEngine: Sendable {
    public let definition: EntityDefinition
    private let loader: YAMLSourceLoader
    private let state = Mutex(Snapshot())

    struct Snapshot {
        var entities: [JSONValue] = []
        /// Name → the entity of the earliest source that has it.
        var index: [String: Int] = [:]
        /// Source id and name → entity.
        var bySource: [SourcedName: Int] = [:]
        var sources: [SourceState] = []
        var sourceLabels: [String: [String]] = [:]
        var basePath = ""
        var initialized = false
        var configuration = CatalogConfiguration()
        var lastRefresh: Date?
    }

    public init(_ definition: EntityDefinition) {
        self.definition = definition
        self.loader = YAMLSourceLoader(
            listKeys: [definition.listKey] + definition.listKeyAliases, nameScope: definition.nameScope, check: definition.check)
    }

    /// Loads every source of `configuration` and swaps the result in.
    @discardableResult
    public func load(_ configuration: CatalogConfiguration, basePath: String) -> [SourceState] {
        let snapshot = loader.load(configuration.sources)
        // Entities come sorted by name, then by source order: the first of a name is the earliest source's.
        let index = Dictionary(snapshot.entities.enumerated().map { ($1["name"]!.stringValue!, $0) }, uniquingKeysWith: { first, _ in first })
        let bySource = Dictionary(snapshot.entities.enumerated().map { (SourcedName($1), $0) }, uniquingKeysWith: { first, _ in first })
        let labels = Dictionary(snapshot.sources.map { ($0.configuration.id, $0.configuration.labels) }, uniquingKeysWith: { first, _ in first })
        state.withLock {
            $0 = Snapshot(
                entities: snapshot.entities, index: index, bySource: bySource, sources: snapshot.sources, sourceLabels: labels,
                basePath: basePath, initialized: true, configuration: configuration, lastRefresh: Date())
        }
        return snapshot.sources
    }

    /// Reloads one source, or all of them, from the configuration in force and swaps the
    /// result in, like ``load(_:basePath:)``.
    public func refresh(sourceID: String?) throws -> RefreshResult {
        let started = ContinuousClock.now
        let (configuration, basePath, before) = state.withLock { ($0.configuration, $0.basePath, $0.entities) }
        if let sourceID, !configuration.sources.contains(where: { $0.id == sourceID }) {
            throw PluginError.notFound("source \"\(sourceID)\" not found")
        }
        let sources = load(configuration, basePath: basePath)
        let after = state.withLock { $0.entities }
        func names(_ entities: [JSONValue]) -> Set<SourcedName> {
            Set(entities.filter { sourceID == nil || $0["source_id"]?.stringValue == sourceID }.map(SourcedName.init))
        }
        let errors = sources.filter { sourceID == nil || $0.configuration.id == sourceID }.compactMap(\.error)
        return RefreshResult(
            sourceId: sourceID, entitiesLoaded: names(after).count, entitiesRemoved: names(before).subtracting(names(after)).count,
            duration: ContinuousClock.now - started, error: errors.isEmpty ? nil : errors.joined(separator: "; "))
    }

    /// Why `source` would not load: an unsupported type, a missing property, a file that
    /// cannot be read or parsed.
    public func problems(with source: SourceConfiguration) -> [SourceProblem] {
        guard source.type == "yaml" else {
            return [SourceProblem(field: "type", message: "source type \"\(source.type)\" is not supported; supported types: yaml")]
        }
        guard let path = source.properties["yamlCatalogPath"]?.stringValue, !path.isEmpty else {
            return [SourceProblem(field: "properties.yamlCatalogPath", message: "a yaml source needs properties.yamlCatalogPath")]
        }
        var probe = source
        probe.enabled = true
        return loader.load([probe]).sources.compactMap { state in
            state.error.map { SourceProblem(field: "properties.yamlCatalogPath", message: $0) }
        }
    }

    /// The diagnostics document: every source's state, the time of the last load and the
    /// sources in error.
    public var diagnostics: JSONValue {
        let (sources, lastRefresh) = state.withLock { ($0.sources, $0.lastRefresh) }
        let errors: [JSONValue] = sources.compactMap { source in
            source.error.map { ["sourceId": .string(source.configuration.id), "message": .string($0)] }
        }
        return [
            "sources": .array(sources.map(\.info)), "errors": .array(errors),
            "lastRefresh": lastRefresh.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null,
        ]
    }

    public var isInitialized: Bool { state.withLock { $0.initialized } }

    /// Where the host mounted the catalog.
    public var basePath: String { state.withLock { $0.basePath } }

    /// The state of every configured source.
    public var sources: [SourceState] { state.withLock { $0.sources } }

    // MARK: Serving

    /// Declares `GET /{plural}`, `GET /{plural}/{name...}` (names may contain `/`; a name
    /// followed by `/{subresource}` lists that nested list) and `GET /sources`.
    ///
    /// - Parameters:
    ///   - routes: The plugin's routes.
    ///   - listing: `false` leaves `GET /{plural}` to the catalog, e.g. for the contract's own list.
    public func registerRoutes(_ routes: inout Routes, listing: Bool = true) {
        if listing {
            routes.get("/\(definition.plural)") { [self] request in .json(try list(request)) }
        }
        routes.get("/\(definition.plural)/{name...}") { [self] request in try get(request.parameter("name")) }
        routes.get("/sources") { [self] request in KubeflowResponse.answer { try sourceList(request) } }
    }

    /// `GET /sources` as the contract's `CatalogSourceList` — `name` (a case-insensitive part of
    /// the name), `assetType` (this catalog's by default; another selects nothing), `orderBy`
    /// `ID` (the default; also for the times sources do not have) or `NAME`, `sortOrder`,
    /// `pageSize`, `nextPageToken`; disabled sources
    /// are listed — with catalog-server's own `sources` (every source in full) and `count` beside it.
    private func sourceList(_ request: PluginRequest) throws -> JSONValue {
        let states = sources
        var selected = states
        if let name = request.query("name")?.lowercased(), !name.isEmpty {
            selected = selected.filter { $0.configuration.name.lowercased().contains(name) }
        }
        if let assetType = request.query("assetType"), !assetType.isEmpty, assetType != definition.assetType {
            selected = []
        }
        // Sources have no times: CREATE_TIME and LAST_UPDATE_TIME (the contract's enum) order by id.
        let byName: Bool
        switch request.query("orderBy")?.uppercased() ?? "" {
        case "", "ID", "CREATE_TIME", "LAST_UPDATE_TIME": byName = false
        case "NAME": byName = true
        case let other: throw PluginError.badRequest("unsupported order by field \"\(other)\": use ID or NAME")
        }
        let descending = try SortDirection.descending(request)
        selected.sort { left, right in
            let (l, r) = byName ? (left.configuration.name, right.configuration.name) : (left.configuration.id, right.configuration.id)
            return descending ? r < l : l < r
        }
        var list = try OffsetPage(request).list(selected.map { $0.contractItem(assetType: definition.assetType) })
        if case .object(var object) = list {
            object["sources"] = .array(states.map(\.info))
            object["count"] = .integer(Int64(states.count))
            list = .object(object)
        }
        return list
    }

    /// One page of the catalog for a list request.
    public func list(_ request: PluginRequest) throws -> ListPage {
        let query = try ListQuery(request, definition: definition)
        let (entities, labels) = state.withLock { ($0.entities, $0.sourceLabels) }
        var page = query.run(on: entities, sourceLabels: labels)
        page.items = page.items.map(served)
        return page
    }

    /// The entity called `name`, or a sub-resource list for `name/{subresource}`.
    public func get(_ name: String) throws -> PluginResponse {
        if let entity = entity(named: name) { return .json(served(entity)) }
        for subresource in definition.subresources where name.hasSuffix("/" + subresource) {
            let owner = String(name.dropLast(subresource.count + 1))
            if let entity = entity(named: owner) {
                let items = entity[subresource]?.arrayValue ?? []
                return .json(ListPage(items: items, size: items.count, pageSize: items.count, nextPageToken: nil))
            }
        }
        throw PluginError.notFound("\(definition.displayName.lowercased()) \"\(name)\" not found")
    }

    /// Every entity, with the labels of each source and the configuration in force: one
    /// consistent snapshot, for routes of a plugin's own.
    public var snapshot: (entities: [JSONValue], sourceLabels: [String: [String]], configuration: CatalogConfiguration) {
        state.withLock { ($0.entities, $0.sourceLabels, $0.configuration) }
    }

    /// The raw entity called `name`; of the earliest source when several sources have it.
    public func entity(named name: String) -> JSONValue? {
        state.withLock { state in state.index[name].map { state.entities[$0] } }
    }

    /// The raw entity called `name` in source `sourceID`.
    ///
    /// - Parameters:
    ///   - name: The entity's name.
    ///   - sourceID: The id of its source.
    public func entity(named name: String, source sourceID: String) -> JSONValue? {
        state.withLock { state in state.bySource[SourcedName(source: sourceID, name: name)].map { state.entities[$0] } }
    }

    /// An entity as list and get serve it: without its sub-resource lists.
    private func served(_ entity: JSONValue) -> JSONValue {
        guard !definition.subresources.isEmpty, var object = entity.objectValue else { return entity }
        definition.subresources.forEach { object.removeValue(forKey: $0) }
        return .object(object)
    }

    // MARK: Describing

    /// The entity in the universal asset envelope.
    public func asset(named name: String) throws -> JSONValue {
        guard let entity = entity(named: name), var spec = entity.objectValue else {
            throw PluginError.notFound("\(definition.displayName.lowercased()) \"\(name)\" not found")
        }
        let sourceID = spec.removeValue(forKey: "source_id")?.stringValue ?? ""
        spec.removeValue(forKey: "name")
        let description = spec.removeValue(forKey: "description") ?? ""
        let status = entity["status"]?.stringValue?.lowercased() ?? ""
        let lifecycle = ["deprecated", "archived"].contains(status) ? status : "active"
        return [
            "apiVersion": "catalog/v1alpha1",
            "kind": .string(definition.kind),
            "metadata": [
                "name": .string(name), "description": description,
                "labels": .object(Dictionary(uniqueKeysWithValues: (state.withLock { $0.sourceLabels[sourceID] } ?? []).map { ($0, JSONValue.string("true")) })),
                "tags": [], "annotations": [:], "sourceRef": ["sourceId": .string(sourceID)],
            ],
            "spec": .object(spec),
            "status": ["lifecycle": .string(lifecycle), "health": "unknown"],
        ]
    }

    /// The capabilities V2 document: exactly the endpoints and fields served. The host adds
    /// what it serves itself: management flags, action definitions and action endpoints.
    public func capabilitiesDocument(name: String, version: String, description: String) -> JSONValue {
        let basePath = state.withLock { $0.basePath }
        let fields = definition.fields
        var endpoints: [String: JSONValue] = [
            "list": .string("\(basePath)/\(definition.plural)"),
            "get": .string("\(basePath)/\(definition.plural)/{name}"),
            "sources": .string("\(basePath)/sources"),
            "asset": .string("\(basePath)/management/entities/{name}"),
        ]
        for subresource in definition.subresources {
            endpoints[subresource] = .string("\(basePath)/\(definition.plural)/{name}/\(subresource)")
        }
        let columns: [JSONValue] = fields.compactMap { field in
            field.columnWidth.map { width in
                ["name": .string(field.name), "displayName": .string(field.displayName), "path": .string(field.path),
                 "type": .string(field.type.rawValue), "sortable": .bool(field.sortable), "width": .string(width)]
            }
        }
        let filterFields: [JSONValue] = fields.filter(\.filterable).map { field in
            ["name": .string(field.path), "displayName": .string(field.displayName), "type": .string(field.type.rawValue),
             "options": .array(field.options.map(JSONValue.string)), "operators": .array(field.type.operators.map(JSONValue.string))]
        }
        let details: [JSONValue] = fields.compactMap { field in
            field.detailSection.map { section in
                ["name": .string(field.name), "displayName": .string(field.displayName), "path": .string(field.path),
                 "type": .string(field.type.rawValue), "section": .string(section)]
            }
        }
        var sections: [String] = []
        for section in fields.compactMap(\.detailSection) where !sections.contains(section) { sections.append(section) }
        return [
            "schemaVersion": "v1",
            "plugin": ["name": .string(name), "version": .string(version), "description": .string(description),
                       "displayName": .string(definition.catalogDisplayName), "icon": .string(definition.icon)],
            "entities": [[
                "kind": .string(definition.kind), "plural": .string(definition.plural),
                "displayName": .string(definition.displayName), "description": .string(definition.description),
                "endpoints": .object(endpoints),
                "fields": ["columns": .array(columns), "filterFields": .array(filterFields), "detailFields": .array(details)],
                "uiHints": ["icon": .string(definition.icon), "nameField": "name", "detailSections": .array(sections.map(JSONValue.string))],
            ]],
            "sources": ["types": ["yaml"]],
        ]
    }
}
