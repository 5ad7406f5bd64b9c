@_exported import CCatalogPlugin
@_exported import CatalogJSON

/// A catalog plugin: what a plugin author implements to be loaded by catalog-server.
///
/// ```swift
/// import CatalogPluginSDK
///
/// final class ToolsCatalog: CatalogPlugin {
///     let name = "tools"
///     let version = "v1alpha1"
///     let description = "Tools available to agents"
///
///     func initialize(_ context: PluginContext) async throws {
///         context.logger.info("\(context.configuration.sources.count) source(s) at \(context.basePath)")
///     }
///
///     func registerRoutes(_ routes: inout Routes) {
///         routes.get("/tools/{name}") { request in
///             .json(["name": .string(try request.parameter("name"))] as JSONValue)
///         }
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
///
/// Only ``CatalogPlugin/name``, ``CatalogPlugin/version``, ``CatalogPlugin/description`` and
/// ``CatalogPlugin/initialize(_:)`` have to be written: ``CatalogPlugin/start()``,
/// ``CatalogPlugin/stop()``, ``CatalogPlugin/healthy()`` and ``CatalogPlugin/registerRoutes(_:)`` have defaults that do
/// nothing (or answer healthy). Optional protocols add capabilities — ``BasePathProvider``,
/// ``SourceKeyProvider``, ``HostVersionRequirement``, ``CapabilitiesV2Provider``,
/// ``StatusProvider``, ``AssetProvider``, ``Reconfigurable``, ``SourceManaging``,
/// ``Refreshable``, ``DiagnosticsProvider`` — and a catalog of YAML entities gets all of them
/// from ``EntityCatalogPlugin``.
public protocol CatalogPlugin: AnyObject, Sendable {
    /// Unique name: lower-case letters, digits, `_` and `-`.
    var name: String { get }
    /// API version, e.g. `v1alpha1`; part of the default base path.
    var version: String { get }
    /// One-line description.
    var description: String { get }

    /// Configures the plugin from its section of `sources.yaml`. Throwing fails the plugin
    /// with the error's description as reason; other plugins are unaffected.
    ///
    /// Runs once, as a Swift task, within the plugin's `init` deadline (60 s by default).
    ///
    /// - Parameter context: The configuration section, base path, configuration files and logger.
    /// - Throws: Any error, to refuse to serve; the host lists the plugin with stage `init`.
    func initialize(_ context: PluginContext) async throws
    /// Starts background work; called after ``CatalogPlugin/registerRoutes(_:)``, before the first request.
    ///
    /// - Throws: Any error, to refuse to serve; the host lists the plugin with stage `start`.
    func start() async throws
    /// Stops background work before shutdown.
    func stop() async
    /// Cheap health check; must not block.
    ///
    /// - Returns: Whether the plugin can serve; `false` makes it unhealthy in `/api/plugins`
    ///   and `/readyz`.
    func healthy() -> Bool
    /// Declares the plugin's routes, relative to its base path. Called once, after
    /// ``CatalogPlugin/initialize(_:)``.
    ///
    /// - Parameter routes: The table to add routes to, e.g. with ``Routes/get(_:_:)``.
    func registerRoutes(_ routes: inout Routes)
}

extension CatalogPlugin {
    /// Does nothing: a plugin without background work need not start any.
    public func start() async throws {}
    /// Does nothing: a plugin without background work has nothing to stop.
    public func stop() async {}
    /// Always healthy.
    ///
    /// - Returns: `true`.
    public func healthy() -> Bool { true }
    /// Declares no route: a plugin that serves only capability operations needs none.
    ///
    /// - Parameter routes: The table, left as it is.
    public func registerRoutes(_ routes: inout Routes) {}
}

/// A plugin that chooses its own base path instead of `/api/{name}_catalog/{version}`.
public protocol BasePathProvider: Sendable {
    /// The absolute path the host mounts the plugin's routes under, e.g. `/api/tools/v2`.
    var basePath: String { get }
}

/// A plugin whose configuration section is not `catalogs.{name}` (the model plugin reads `catalogs.models`).
public protocol SourceKeyProvider: Sendable {
    /// The key of the plugin's section under `catalogs:` in `sources.yaml`, e.g. `models`.
    var sourceKey: String { get }
}

/// A plugin that needs a minimum catalog-server version (`MAJOR.MINOR.PATCH`); an older host
/// refuses it with a message naming both versions.
public protocol HostVersionRequirement: Sendable {
    /// The oldest catalog-server version the plugin works with, e.g. `0.5.0`.
    var minimumHostVersion: String { get }
}

/// A plugin that describes itself with a capabilities V2 document, so generic UIs and CLIs
/// can render it. The document must describe exactly the endpoints and fields served.
///
/// The host asks once, after ``CatalogPlugin/start()``, and serves the answer at
/// `GET /api/plugins/{name}/capabilities`; `docs/capabilities-v2.md` describes it field by field.
public protocol CapabilitiesV2Provider: Sendable {
    /// The capabilities V2 document (operation `capabilities.v2.get`).
    ///
    /// - Returns: The document, a JSON object with `schemaVersion`, `plugin` and `entities`.
    /// - Throws: Any error; the plugin then serves without a document.
    func capabilitiesV2() async throws -> JSONValue
}

/// A plugin that reports its own status beyond healthy/unhealthy.
public protocol StatusProvider: Sendable {
    /// The plugin's status (operation `status.get`), shown in `/api/plugins`.
    ///
    /// - Returns: Whether it is enabled, initialised and serving, and its last error.
    func status() async -> PluginStatus
}

/// A plugin that projects its entities into the universal asset envelope
/// (`apiVersion, kind, metadata, spec, status`), served by the host at
/// `{basePath}/management/entities/{name}`.
public protocol AssetProvider: Sendable {
    /// One entity in the universal asset envelope (operation `assets.get`).
    ///
    /// - Parameter name: The entity's name.
    /// - Returns: `{apiVersion, kind, metadata, spec, status}`.
    /// - Throws: ``PluginError/notFound(_:)`` for an unknown name; any other error answers 500.
    func asset(named name: String) async throws -> JSONValue
}

/// A plugin that adopts a changed configuration section while it runs (the server's reconcile
/// loop and SIGHUP). It must build the new state first and swap it in at once, so a request sees
/// either the old catalog or the new one.
public protocol Reconfigurable: Sendable {
    /// Adopts a changed configuration section (operation `config.apply`).
    ///
    /// - Parameter configuration: The plugin's new section of the merged `sources.yaml`.
    /// - Throws: Any error, to refuse the section; the plugin should then keep serving the old one.
    func reconfigure(_ configuration: CatalogConfiguration) async throws
}

/// What a ``StatusProvider`` reports.
public struct PluginStatus: Codable, Sendable {
    /// Whether the plugin is enabled.
    public var enabled: Bool
    /// Whether ``CatalogPlugin/initialize(_:)`` has completed.
    public var initialized: Bool
    /// Whether it answers requests.
    public var serving: Bool
    /// The last error worth showing an operator, if any.
    public var lastError: String?

    /// A status.
    ///
    /// - Parameters:
    ///   - enabled: Whether the plugin is enabled.
    ///   - initialized: Whether it has been initialised.
    ///   - serving: Whether it answers requests.
    ///   - lastError: The last error, if any.
    public init(enabled: Bool = true, initialized: Bool, serving: Bool, lastError: String? = nil) {
        self.enabled = enabled
        self.initialized = initialized
        self.serving = serving
        self.lastError = lastError
    }
}
