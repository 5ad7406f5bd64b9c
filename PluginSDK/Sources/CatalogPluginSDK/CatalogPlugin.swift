@_exported import CCatalogPlugin
@_exported import CatalogJSON

/// A catalog plugin: what a plugin author implements to be loaded by catalog-server.
///
/// ```swift
/// final class ToolsCatalog: CatalogPlugin {
///     let name = "tools"
///     let version = "v1alpha1"
///     let description = "Tools available to agents"
///
///     func initialize(_ context: PluginContext) async throws { … read context.configuration … }
///
///     func registerRoutes(_ routes: inout Routes) {
///         routes.get("/tools") { request in .json(["items": []]) }
///     }
/// }
///
/// @_cdecl("catalog_plugin_register")
/// public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
///     PluginExport.register(host: host, registrar: registrar) { [ToolsCatalog()] }
/// }
/// ```
///
/// The host calls `initialize`, then `registerRoutes`, then `start`; `stop` at shutdown.
/// Requests may arrive concurrently, so a plugin must be safe to use from several tasks.
public protocol CatalogPlugin: AnyObject, Sendable {
    /// Unique name: lower-case letters, digits, `_` and `-`.
    var name: String { get }
    /// API version, e.g. `v1alpha1`; part of the default base path.
    var version: String { get }
    /// One-line description.
    var description: String { get }

    /// Configures the plugin from its section of `sources.yaml`. Throwing fails the plugin
    /// with the error's description as reason; other plugins are unaffected.
    func initialize(_ context: PluginContext) async throws
    /// Starts background work.
    func start() async throws
    /// Stops background work before shutdown.
    func stop() async
    /// Cheap health check; must not block.
    func healthy() -> Bool
    /// Declares the plugin's routes, relative to its base path.
    func registerRoutes(_ routes: inout Routes)
}

extension CatalogPlugin {
    public func start() async throws {}
    public func stop() async {}
    public func healthy() -> Bool { true }
    public func registerRoutes(_ routes: inout Routes) {}
}

/// A plugin that chooses its own base path instead of `/api/{name}_catalog/{version}`.
public protocol BasePathProvider: Sendable {
    var basePath: String { get }
}

/// A plugin whose configuration section is not `catalogs.{name}` (the model plugin reads `catalogs.models`).
public protocol SourceKeyProvider: Sendable {
    var sourceKey: String { get }
}

/// A plugin that needs a minimum catalog-server version (`MAJOR.MINOR.PATCH`); an older host
/// refuses it with a message naming both versions.
public protocol HostVersionRequirement: Sendable {
    var minimumHostVersion: String { get }
}

/// A plugin that describes itself with a capabilities V2 document, so generic UIs and CLIs
/// can render it. The document must describe exactly the endpoints and fields served.
public protocol CapabilitiesV2Provider: Sendable {
    func capabilitiesV2() async throws -> JSONValue
}

/// A plugin that reports its own status beyond healthy/unhealthy.
public protocol StatusProvider: Sendable {
    func status() async -> PluginStatus
}

/// A plugin that projects its entities into the universal asset envelope
/// (`apiVersion, kind, metadata, spec, status`), served by the host at
/// `{basePath}/management/entities/{name}`.
public protocol AssetProvider: Sendable {
    func asset(named name: String) async throws -> JSONValue
}

/// A plugin that adopts a changed configuration section while it runs (the server's reconcile
/// loop and SIGHUP). It must build the new state first and swap it in at once, so a request sees
/// either the old catalog or the new one.
public protocol Reconfigurable: Sendable {
    func reconfigure(_ configuration: CatalogConfiguration) async throws
}

/// What a ``StatusProvider`` reports.
public struct PluginStatus: Codable, Sendable {
    public var enabled: Bool
    public var initialized: Bool
    public var serving: Bool
    public var lastError: String?

    public init(enabled: Bool = true, initialized: Bool, serving: Bool, lastError: String? = nil) {
        self.enabled = enabled
        self.initialized = initialized
        self.serving = serving
        self.lastError = lastError
    }
}
