/// A catalog plugin built on a ``CatalogEngine``: declare the entity, and loading, list, get,
/// sources, capabilities, status, asset mapping, source validation, refresh and diagnostics
/// come from the engine.
///
/// ```swift
/// final class McpCatalog: EntityCatalogPlugin {
///     let name = "mcp", version = "v1alpha1", description = "MCP servers"
///     let engine = CatalogEngine(EntityDefinition(kind: "McpServer", plural: "mcpservers", …))
/// }
/// ```
public protocol EntityCatalogPlugin: CatalogPlugin, CapabilitiesV2Provider, StatusProvider, AssetProvider, SourceManaging,
    Refreshable, DiagnosticsProvider
{
    var engine: CatalogEngine { get }
}

extension EntityCatalogPlugin {
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
    public func reconfigure(_ configuration: CatalogConfiguration) async throws {
        engine.load(configuration, basePath: engine.basePath)
    }

    public func registerRoutes(_ routes: inout Routes) {
        engine.registerRoutes(&routes)
    }

    public func healthy() -> Bool { engine.isInitialized }

    public func capabilitiesV2() async throws -> JSONValue {
        engine.capabilitiesDocument(name: name, version: version, description: description)
    }

    public func status() async -> PluginStatus {
        let failing = engine.sources.filter { $0.availability == .error }
        return PluginStatus(
            initialized: engine.isInitialized, serving: engine.isInitialized,
            lastError: failing.isEmpty ? nil : failing.map { "\($0.configuration.id): \($0.error ?? "")" }.joined(separator: "; "))
    }

    public func asset(named name: String) async throws -> JSONValue {
        try engine.asset(named: name)
    }

    public func sourceInfos() async -> [JSONValue] {
        engine.sources.map(\.info)
    }

    public func validate(source: SourceConfiguration) async -> [SourceProblem] {
        engine.problems(with: source)
    }

    public func refresh(sourceID: String?) async throws -> RefreshResult {
        try engine.refresh(sourceID: sourceID)
    }

    public func diagnostics() async -> JSONValue {
        engine.diagnostics
    }
}
