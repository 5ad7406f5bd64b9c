import CatalogJSON
import Synchronization

/// A plugin the host registered, with its lifecycle state.
public final class HostedPlugin: Sendable {
    public let identity: PluginIdentity
    /// How requests and operations reach the plugin.
    let calls: any PluginCalls
    /// The function table of a plugin loaded into this process; `nil` for a worker's plugin,
    /// whose lifecycle its worker runs.
    let descriptor: PluginDescriptor?
    /// Where the plugin's code runs: in this process, or in a worker process of its own.
    var isolation: PluginHostSettings.Isolation { descriptor == nil ? .process : .inProcess }
    /// The file that registered it.
    public let file: String
    let handle: PluginHandle
    /// This plugin's deadlines: the server's defaults with its `plugins:` settings applied.
    public let deadlines: CallDeadlines
    /// Requests in flight at once before new ones answer 503.
    public let maxConcurrentRequests: Int
    /// Where `handle_request` is called: the plugin's own threads, so a plugin that blocks in
    /// its handler stalls only its own calls.
    let threads: PluginThreads
    /// The plugin's own health verdict, asked off the caller's thread and cached.
    let health: PluginHealth
    /// Requests past their deadline, logged without flooding.
    let timeouts: ThrottledLog
    /// Where its calls are counted.
    let metrics: ServerMetrics

    /// Consecutive timed-out requests after which the plugin counts as degraded.
    static let timeoutsBeforeDegraded = 3

    public var name: String { identity.name }
    public var version: String { identity.version }
    public var description: String { identity.description }
    /// The configuration section key: the plugin's source key, else its name.
    public var configKey: String { identity.sourceKey ?? identity.name }
    /// The base path: the plugin's own, else `/api/{name}_catalog/{version}`.
    public var basePath: String { identity.basePath ?? "/api/\(identity.name)_catalog/\(identity.version)" }

    private let state = Mutex(PluginState())

    /// A plugin loaded into this process.
    convenience init(
        descriptor: PluginDescriptor, file: String, settings: PluginHostSettings = PluginHostSettings(), defaults: CallDeadlines = CallDeadlines(),
        metrics: ServerMetrics = ServerMetrics()
    ) {
        self.init(
            identity: descriptor.identity, calls: descriptor, descriptor: descriptor, file: file, settings: settings, defaults: defaults,
            metrics: metrics)
    }

    init(
        identity: PluginIdentity, calls: any PluginCalls, descriptor: PluginDescriptor?, file: String, settings: PluginHostSettings,
        defaults: CallDeadlines, metrics: ServerMetrics
    ) {
        self.identity = identity
        self.calls = calls
        self.descriptor = descriptor
        self.file = file
        self.handle = PluginHandle(pluginName: identity.name, file: file)
        self.deadlines = settings.deadlines(over: defaults)
        self.maxConcurrentRequests = settings.maxConcurrentRequests ?? 64
        self.threads = PluginThreads(name: identity.name, limit: maxConcurrentRequests)
        self.health = PluginHealth(plugin: identity.name) { [calls] in calls.healthy() }
        self.timeouts = ThrottledLog(logger: handle.logger)
        self.metrics = metrics
    }

    /// Runs a capability operation on the plugin's own threads, counted as an `operation` call.
    func invoke(_ operation: String, input: [UInt8], deadline: Duration) async -> PluginCallOutcome {
        let outcome = await calls.invoke(operation, input: input, deadline: deadline, on: threads)
        metrics.call(plugin: name, kind: "operation", outcome: outcome.metricsOutcome)
        return outcome
    }

    /// Counts a request in, unless the plugin already has its maximum in flight.
    func admitRequest() -> Bool {
        state.withLock { state in
            guard state.requestsInFlight < maxConcurrentRequests else { return false }
            state.requestsInFlight += 1
            return true
        }
    }

    /// Counts a request out. Repeated timeouts mark the plugin degraded; an answer in time clears it.
    func finishRequest(timedOut: Bool) {
        state.withLock { state in
            state.requestsInFlight -= 1
            if timedOut {
                state.consecutiveTimeouts += 1
                if state.consecutiveTimeouts >= Self.timeoutsBeforeDegraded {
                    state.degradedReason = "\(state.consecutiveTimeouts) consecutive requests exceeded the \(deadlines.request) deadline"
                }
            } else {
                state.consecutiveTimeouts = 0
                state.degradedReason = nil
            }
        }
    }

    /// A snapshot of the lifecycle state.
    public var currentState: PluginState { state.withLock { $0 } }

    /// Why the plugin does not serve, or `nil` when it does: what each request checks, read
    /// without copying the whole state.
    var notServingReason: String? {
        state.withLock { $0.serving ? nil : ($0.lastError ?? "it is not started") }
    }

    @discardableResult
    func updateState<Result>(_ update: (inout PluginState) -> Result) -> Result {
        state.withLock { update(&$0) }
    }

    /// Initialized, serving and reporting itself healthy (as last asked; see ``PluginHealth``).
    /// Never waits for the plugin.
    public var isHealthy: Bool {
        let snapshot = currentState
        return snapshot.initialized && snapshot.serving && snapshot.lastError == nil && snapshot.degradedReason == nil
            && health.verdict().healthy
    }
}

/// Where a plugin is in its lifecycle.
public struct PluginState: Sendable {
    public var initialized = false
    /// Routes mounted and `start` succeeded.
    public var serving = false
    public var lastError: String?
    /// The capabilities V2 document, fetched after start when the plugin offers one.
    public var capabilitiesDocument: JSONValue?
    /// Where the plugin's capabilities document breaks the published schema (a warning).
    public var capabilitiesProblems: [String] = []
    /// Loaded by a reconcile after start-up, not at start-up.
    public var lateLoaded = false
    /// The routes mounted for the plugin.
    var routes: [PluginRoute] = []
    /// Why the plugin serves but is unhealthy (repeated timeouts), or `nil`.
    public var degradedReason: String?
    var consecutiveTimeouts = 0
    var requestsInFlight = 0
}
