/// A catalog plugin built on a ``CatalogEngine``: declare the entity, and loading, list, get,
/// sources, capabilities, status, asset mapping, source validation, refresh and diagnostics
/// come from the engine.
///
/// ```swift
/// import CatalogPluginSDK
///
/// public final class ToolsCatalog: EntityCatalogPlugin {
///     public init() {}
///
///     public let name = "tools"
///     public let version = "v1alpha1"
///     public let description = "Tools available to agents"
///     public let engine = CatalogEngine(EntityDefinition(
///         kind: "Tool", plural: "tools", displayName: "Tool",
///         description: "A tool an agent can call", catalogDisplayName: "Tools",
///         icon: "cube", listKey: "tools",
///         fields: [
///             FieldDefinition("name", "Name", column: "lg"),
///             FieldDefinition("description", "Description", detail: "Overview"),
///             FieldDefinition("category", "Category", column: "md", options: ["search", "code", "data"]),
///             FieldDefinition("callCount", "Calls", type: .integer, column: "sm", detail: "Usage"),
///         ]))
/// }
/// ```
///
/// It serves `GET /tools` (filter, order, cursor paging: ``ListQuery``), `GET /tools/{name}`
/// and `GET /sources`, and offers every management capability. Every default below may be
/// replaced, e.g. ``CatalogPlugin/registerRoutes(_:)`` to add routes of your own next to
/// ``CatalogEngine/registerRoutes(_:listing:)``.
public protocol EntityCatalogPlugin: CatalogPlugin, CapabilitiesV2Provider, StatusProvider, AssetProvider, SourceManaging,
    Refreshable, DiagnosticsProvider
{
    /// The catalog's engine: its entity definition, sources and entities.
    var engine: CatalogEngine { get }
}

extension EntityCatalogPlugin {
    /// Loads every source of the context's configuration into ``engine`` and logs the result:
    /// an `error` line per source in error, a `warning` per partially available source, and
    /// an `info` line with the entity count of each loaded source. It never throws: a source
    /// in error does not fail the plugin, it shows in `GET /sources` and the log.
    ///
    /// - Parameter context: The plugin's context.
    public func initialize(_ context: PluginContext) async throws {
        let sources = engine.load(context.configuration, basePath: context.basePath)
        for source in sources where source.availability == .error {
            context.logger.error("source \(source.configuration.id) is in error: \(source.error ?? "")")
        }
        for source in sources where source.availability == .partiallyAvailable {
            context.logger.warning("source \(source.configuration.id) is partially available: \(source.error ?? "")")
        }
        let loaded = sources.filter { $0.availability != .error && $0.availability != .disabled }.map { "\($0.configuration.id): \($0.entityCount)" }
        context.logger.info("loaded \(engine.definition.plural) from \(loaded.count) source(s) [\(loaded.joined(separator: ", "))]")
    }

    /// Reloads every source and swaps the new snapshot in at once.
    ///
    /// - Parameter configuration: The plugin's new section; the base path stays as it was.
    public func reconfigure(_ configuration: CatalogConfiguration) async throws {
        engine.load(configuration, basePath: engine.basePath)
    }

    /// Declares the engine's routes: `GET /{plural}`, `GET /{plural}/{name...}`, `GET /sources`.
    ///
    /// - Parameter routes: The plugin's route table.
    public func registerRoutes(_ routes: inout Routes) {
        engine.registerRoutes(&routes)
    }

    /// Healthy once the engine has loaded its configuration.
    ///
    /// - Returns: ``CatalogEngine/isInitialized``.
    public func healthy() -> Bool { engine.isInitialized }

    /// The document the engine builds from the entity definition.
    ///
    /// - Returns: ``CatalogEngine/capabilitiesDocument(name:version:description:)`` for this plugin.
    public func capabilitiesV2() async throws -> JSONValue {
        engine.capabilitiesDocument(name: name, version: version, description: description)
    }

    /// Initialised and serving once loaded; the sources in error as the last error.
    ///
    /// - Returns: The status.
    public func status() async -> PluginStatus {
        let failing = engine.sources.filter { $0.availability == .error }
        return PluginStatus(
            initialized: engine.isInitialized, serving: engine.isInitialized,
            lastError: failing.isEmpty ? nil : failing.map { "\($0.configuration.id): \($0.error ?? "")" }.joined(separator: "; "))
    }

    /// The entity in the universal asset envelope.
    ///
    /// - Parameter name: The entity's name.
    /// - Returns: ``CatalogEngine/asset(named:)``.
    /// - Throws: ``PluginError/notFound(_:)`` when there is no such entity.
    public func asset(named name: String) async throws -> JSONValue {
        try engine.asset(named: name)
    }

    /// Every configured source in the SourceInfo shape.
    ///
    /// - Returns: ``SourceState/info`` of each of the engine's sources.
    public func sourceInfos() async -> [JSONValue] {
        engine.sources.map(\.info)
    }

    /// Whether `source` would load: type `yaml`, a `yamlCatalogPath`, a readable, parsable file.
    ///
    /// - Parameter source: The source as the operator would apply it.
    /// - Returns: ``CatalogEngine/problems(with:)``.
    public func validate(source: SourceConfiguration) async -> [SourceProblem] {
        engine.problems(with: source)
    }

    /// Reloads one source or all of them.
    ///
    /// - Parameter sourceID: The source, or `nil` for all.
    /// - Returns: ``CatalogEngine/refresh(sourceID:)``.
    /// - Throws: ``PluginError/notFound(_:)`` for an unknown source id.
    public func refresh(sourceID: String?) async throws -> RefreshResult {
        try engine.refresh(sourceID: sourceID)
    }

    /// The engine's diagnostics document.
    ///
    /// - Returns: ``CatalogEngine/diagnostics``.
    public func diagnostics() async -> JSONValue {
        engine.diagnostics
    }
}
