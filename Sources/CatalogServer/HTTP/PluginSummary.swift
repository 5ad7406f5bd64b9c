import CCatalogPlugin
import CatalogJSON

/// One plugin as `GET /api/plugins` lists it.
struct PluginSummary: Encodable {
    struct Status: Encodable {
        var enabled: Bool
        var initialized: Bool
        var serving: Bool
        var lastError: String?
    }

    /// A route the plugin declared: method and pattern, relative to the base path.
    struct Route: Encodable {
        var method: String
        var pattern: String
    }

    struct Management: Encodable {
        var sourceManager: Bool
        var refresh: Bool
        var diagnostics: Bool
        var actions: Bool
    }

    var name: String
    var version: String
    var description: String
    var basePath: String
    /// The plugin ABI version the plugin was built for, e.g. `1.3`.
    var abiVersion: String
    /// The SDK that built it (`CatalogPluginSDK 0.6.0`, `C (no SDK)`), when it says (ABI 1.1).
    var sdkVersion: String?
    /// For a Swift plugin, the Swift compiler that built it (ABI 1.3).
    var swiftVersion: String?
    var routes: [Route]
    var healthy: Bool
    var file: String
    /// `in-process`, or `process` for a plugin in a worker process.
    var isolation: String
    /// Loaded by a reconcile (SIGHUP or the interval) after start-up.
    var lateLoaded: Bool
    var entityKinds: [String]?
    var status: Status
    var management: Management
    var capabilities: [String]
    var capabilitiesV2: JSONValue?

    init(_ plugin: HostedPlugin) {
        let state = plugin.currentState
        let identity = plugin.identity
        name = plugin.name
        version = plugin.version
        description = plugin.description
        basePath = plugin.basePath
        abiVersion = identity.abiVersion
        sdkVersion = identity.sdkVersion
        swiftVersion = identity.swiftVersion
        routes = state.routes.map { Route(method: $0.method, pattern: $0.pattern) }
        healthy = plugin.isHealthy
        file = plugin.file
        lateLoaded = state.lateLoaded
        isolation = plugin.isolation.rawValue
        status = Status(
            enabled: true, initialized: state.initialized, serving: state.serving,
            lastError: state.lastError ?? state.degradedReason ?? plugin.health.verdict().reason)
        management = Management(
            sourceManager: identity.supports(.sources),
            refresh: identity.supports(.refresh),
            diagnostics: identity.supports(.diagnostics),
            actions: identity.supports(.assets) || identity.supports(.refresh))
        capabilities = identity.capabilities
        capabilitiesV2 = state.capabilitiesDocument
        entityKinds = state.capabilitiesDocument?["entities"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
    }
}

/// `GET /api/plugins`.
struct PluginList: Encodable {
    var plugins: [PluginSummary]
    var count: Int
    /// Files and plugins that were skipped, with stage and reason.
    var failures: [LoadFailure]
    /// Files still on their way in, with the step they are at and for how long.
    var loading: [LoadingFile]
    /// Plugin files changed or removed since they were loaded: they take effect at the next restart.
    var pendingRestart: [String]
}
