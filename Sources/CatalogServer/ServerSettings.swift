import Logging

/// Everything a ``CatalogServer`` needs to run.
public struct ServerSettings: Sendable {
    /// Address to listen on; port 0 picks a free port.
    public var host: String
    /// Whether ``host`` is a loopback address, reachable only from this machine.
    public var listensOnLoopback: Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
    public var port: Int
    /// Directory scanned (not recursively) for `*.so` plugin files.
    public var pluginsDirectory: String
    /// The merged `sources.yaml` files.
    public var configuration: SourcesConfiguration
    /// Whether any failed plugin makes `/readyz` answer 503.
    public var strictReadiness: Bool
    /// How long `/readyz` waits for plugins still loading at start-up; after it, they are
    /// listed as `loading` and the server is `degraded` (or `not_ready` when strict).
    public var readinessGrace: Duration = .seconds(3)
    public var deadlines: CallDeadlines
    /// Permission checks, pins and probing.
    public var trust: TrustSettings
    /// How often configuration files and the plugin directory are reconciled; `nil` only on SIGHUP.
    public var reconcileInterval: Duration?
    /// The managed configuration layer and entity overlays; `nil` runs without a state
    /// directory, and the management API then changes nothing. The layer's file must be the
    /// last of `configuration.files`.
    public var stores: StateStores?
    /// Directories beside the configuration files' own where files named through the
    /// management API may lie (`--data-root`).
    public var dataRoots: [String]
    /// Tokens and what needs them.
    public var access: AccessPolicy
    /// Timeouts and the connection limit for clients.
    public var connectionLimits: ConnectionLimits
    /// The largest response body a plugin may give (`--max-response-bytes`).
    public var maximumResponseBytes: Int
    /// The level of the access log line of each request (`--access-log-level`); `nil` for none.
    public var accessLogLevel: Logger.Level? = nil

    public init(
        host: String = "127.0.0.1", port: Int = 8080, pluginsDirectory: String,
        configuration: SourcesConfiguration, strictReadiness: Bool = false, deadlines: CallDeadlines = CallDeadlines(),
        trust: TrustSettings = TrustSettings(), reconcileInterval: Duration? = .seconds(30), stores: StateStores? = nil,
        dataRoots: [String] = [], access: AccessPolicy = AccessPolicy(), connectionLimits: ConnectionLimits = ConnectionLimits(),
        maximumResponseBytes: Int = 32 * 1024 * 1024
    ) {
        self.stores = stores
        self.dataRoots = dataRoots
        self.access = access
        self.connectionLimits = connectionLimits
        self.maximumResponseBytes = maximumResponseBytes
        self.trust = trust
        self.reconcileInterval = reconcileInterval
        self.host = host
        self.port = port
        self.pluginsDirectory = pluginsDirectory
        self.configuration = configuration
        self.strictReadiness = strictReadiness
        self.deadlines = deadlines
    }
}
