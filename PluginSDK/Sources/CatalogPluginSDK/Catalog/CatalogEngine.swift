import Foundation
import Synchronization

/// Everything a catalog of one entity kind needs: loading its sources (here), serving list
/// and get with the shared query engine (`CatalogEngine+Routes.swift`), its capabilities
/// document and asset envelopes (`CatalogEngine+Documents.swift`).
///
/// Reloading swaps the whole snapshot at once, so a request sees either the old catalog or
/// the new one, never a mix.
///
/// An ``EntityCatalogPlugin`` needs nothing but the engine; a plugin with routes of its own
/// keeps using it for them:
///
/// ```swift
/// final class ToolsCatalog: CatalogPlugin {
///     let name = "tools", version = "v1alpha1", description = "Tools available to agents"
///     let engine = CatalogEngine(EntityDefinition(
///         kind: "Tool", plural: "tools", displayName: "Tool", description: "A tool agents call",
///         catalogDisplayName: "Tools", icon: "cube", listKey: "tools",
///         fields: [FieldDefinition("name", "Name", column: "lg"), FieldDefinition("category", "Category", column: "md")]))
///
///     func initialize(_ context: PluginContext) async throws {
///         engine.load(context.configuration, basePath: context.basePath)
///     }
///
///     func registerRoutes(_ routes: inout Routes) {
///         engine.registerRoutes(&routes)                        // GET /tools, /tools/{name...}, /sources
///         routes.get("/categories") { [engine] _ in
///             let categories = Set(engine.snapshot.entities.compactMap { $0["category"]?.stringValue })
///             return .json(["items": .array(categories.sorted().map(JSONValue.string))] as JSONValue)
///         }
///     }
/// }
/// ```
public final class CatalogEngine: Sendable {
    /// The entity the catalog serves.
    public let definition: EntityDefinition
    private let loader: YAMLSourceLoader
    /// The catalog in force; the serving and describing extensions read it.
    let state = Mutex(Snapshot())

    struct Snapshot {
        var loaded = EntitySnapshot(entities: [], sourceLabels: [:])
        var entities: [JSONValue] { loaded.entities }
        var sourceLabels: [String: [String]] { loaded.sourceLabels }
        var sources: [SourceState] = []
        var basePath = ""
        var initialized = false
        var configuration: CatalogConfiguration { loaded.configuration }
        var lastRefresh: Date?
    }

    /// An engine with no sources loaded yet; ``load(_:basePath:)`` loads them.
    ///
    /// - Parameter definition: The entity the catalog serves: its fields, list key and checks.
    public init(_ definition: EntityDefinition) {
        self.definition = definition
        self.loader = YAMLSourceLoader(
            listKeys: [definition.listKey] + definition.listKeyAliases, nameScope: definition.nameScope, check: definition.check)
    }

    /// Loads every source of `configuration` and swaps the result in.
    ///
    /// A source that cannot be loaded is put in error; the others are served.
    ///
    /// - Parameters:
    ///   - configuration: The catalog's section of `sources.yaml`.
    ///   - basePath: Where the host mounted the catalog (``PluginContext/basePath``).
    /// - Returns: The state of every configured source, in order.
    @discardableResult
    public func load(_ configuration: CatalogConfiguration, basePath: String) -> [SourceState] {
        let snapshot = loader.load(configuration.sources)
        let labels = Dictionary(snapshot.sources.map { ($0.configuration.id, $0.configuration.labels) }, uniquingKeysWith: { first, _ in first })
        do {
            var loaded = Snapshot(
                loaded: EntitySnapshot(entities: snapshot.entities, sourceLabels: labels, configuration: configuration),
                sources: snapshot.sources, basePath: basePath, initialized: true, lastRefresh: Date())
            state.withLock { state in swap(&state, &loaded) }
            // The replaced snapshot is freed at the end of this block: outside the lock, since
            // freeing a large catalog takes a while, and before the free pages are returned.
        }
        FreedMemory.release()
        return snapshot.sources
    }

    /// Reloads one source, or all of them, from the configuration in force and swaps the
    /// result in, like ``load(_:basePath:)``.
    ///
    /// - Parameter sourceID: The source to reload, or `nil` for all of them.
    /// - Returns: What the refresh loaded and removed, and the errors of the source(s).
    /// - Throws: ``PluginError/notFound(_:)`` for a source id the configuration does not have.
    public func refresh(sourceID: String?) throws -> RefreshResult {
        let started = ContinuousClock.now
        let (configuration, basePath) = state.withLock { ($0.configuration, $0.basePath) }
        if let sourceID, !configuration.sources.contains(where: { $0.id == sourceID }) {
            throw PluginError.notFound("source \"\(sourceID)\" not found")
        }
        func names(_ snapshot: EntitySnapshot) -> Set<SourcedName> {
            Set(snapshot.names.filter { sourceID == nil || $0.source == sourceID })
        }
        // Only the names of the replaced entities are kept, so the load can free them.
        let before = names(entitySnapshot)
        let sources = load(configuration, basePath: basePath)
        let after = names(entitySnapshot)
        let errors = sources.filter { sourceID == nil || $0.configuration.id == sourceID }.compactMap(\.error)
        return RefreshResult(
            sourceId: sourceID, entitiesLoaded: after.count, entitiesRemoved: before.subtracting(after).count,
            duration: ContinuousClock.now - started, error: errors.isEmpty ? nil : errors.joined(separator: "; "))
    }

    /// Why `source` would not load: an unsupported type, a missing property, a file that
    /// cannot be read or parsed.
    ///
    /// - Parameter source: A source as the operator would apply it (it is read even if disabled).
    /// - Returns: The problems; empty when the source would load.
    public func problems(with source: SourceConfiguration) -> [SourceProblem] {
        if let problem = YAMLSourceLoader.configurationProblem(of: source) { return [problem] }
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

    /// Whether ``load(_:basePath:)`` has run at least once.
    public var isInitialized: Bool { state.withLock { $0.initialized } }

    /// Where the host mounted the catalog.
    public var basePath: String { state.withLock { $0.basePath } }

    /// The state of every configured source.
    public var sources: [SourceState] { state.withLock { $0.sources } }

    /// The entities in force with their sources' labels, and the list orders prepared for
    /// them: what ``ListQuery/run(on:where:)`` lists.
    public var entitySnapshot: EntitySnapshot { state.withLock { $0.loaded } }

    /// Every entity, with the labels of each source and the configuration in force: one
    /// consistent snapshot, for routes of a plugin's own.
    public var snapshot: (entities: [JSONValue], sourceLabels: [String: [String]], configuration: CatalogConfiguration) {
        state.withLock { ($0.entities, $0.sourceLabels, $0.configuration) }
    }

    /// The raw entity called `name`; of the earliest source when several sources have it.
    ///
    /// - Parameter name: The entity's name.
    /// - Returns: The entity as loaded (with `source_id` and its sub-resource lists), or `nil`.
    public func entity(named name: String) -> JSONValue? {
        let snapshot = entitySnapshot
        return snapshot.position(of: name).map { snapshot.entities[$0] }
    }

    /// The raw entity called `name` in source `sourceID`.
    ///
    /// - Parameters:
    ///   - name: The entity's name.
    ///   - sourceID: The id of its source.
    /// - Returns: The entity as loaded, or `nil`.
    public func entity(named name: String, source sourceID: String) -> JSONValue? {
        let snapshot = entitySnapshot
        return snapshot.position(of: name, source: sourceID).map { snapshot.entities[$0] }
    }
}
