import CCatalogPlugin
import CatalogJSON
import Foundation
import Logging
import Synchronization

/// Loads every plugin file of a directory and carries each plugin through its lifecycle:
/// register, init with its configuration section, mount its routes, start, and stop.
///
/// Whatever fails is recorded as a ``LoadFailure`` and skipped; the other plugins go on.
public final class PluginHost: Sendable {
    public let registry = PluginRegistry()
    let mounts = PluginMounts()
    /// The configuration in force: the last one that loaded.
    var configuration: SourcesConfiguration { state.withLock { $0.configuration } }
    let deadlines: CallDeadlines
    let trust: TrustSettings
    let loader: PluginLoader
    let logger: Logger
    let state: Mutex<HostState>
    let supervisors = Mutex<[WorkerSupervisor]>([])
    /// The managed configuration layer and the overlays; `nil` when the server runs without a
    /// state directory, and the management API then cannot change anything.
    let stores: StateStores?
    /// Serializes configuration changes: reconciles and management writes.
    let configurationGate = AsyncGate()
    /// The refresh rate limit: the cluster's when the state is in a database, else this server's.
    let refreshWindow: any RefreshWindow
    /// Where files named through the management API may lie.
    let dataRoots: DataRoots
    /// The server's metrics, served at `GET /metrics`.
    public let metrics = ServerMetrics()
    /// The entity gauges of `/metrics`, refreshed from the plugins at most every 10 s.
    let entityCounts = EntityCounts()

    struct HostState {
        var configuration: SourcesConfiguration
        var failures: [LoadFailure] = []
        var initialLoadComplete = false
        /// Why the last configuration reload failed; `nil` when it succeeded.
        var configurationError: String?
        /// Plugin files seen so far, with their modification time when first seen.
        var seenFiles: [String: Date] = [:]
        /// Files changed or removed since they were loaded: they take effect at the next restart.
        var pendingRestart: [String] = []
        /// Modification times of the data files each configuration section names.
        var dataStamps: [String: [String: Date]] = [:]
        /// Files on their way in, with the step they are at.
        var loading: [String: LoadingFile] = [:]
        /// Probes of held-back files, cancelled at shutdown (which kills their children).
        var backgroundProbes: Task<Void, Never>?
    }

    public init(
        pluginsDirectory: String, configuration: SourcesConfiguration, deadlines: CallDeadlines,
        trust: TrustSettings = TrustSettings(), stores: StateStores? = nil, dataRoots: DataRoots? = nil, logger: Logger
    ) {
        self.state = Mutex(HostState(configuration: configuration))
        self.dataRoots = dataRoots ?? DataRoots(configurationFiles: configuration.files, extra: [])
        self.stores = stores
        self.refreshWindow = stores?.database.map { DatabaseRefreshWindow(session: $0.session) } ?? LocalRefreshWindow()
        self.deadlines = deadlines
        self.trust = trust
        self.loader = PluginLoader(directory: pluginsDirectory, logger: logger)
        self.logger = logger
        for warning in configuration.warnings { logger.warning("\(warning)") }
    }

    /// Every failure so far, in the order they happened.
    public var failures: [LoadFailure] { state.withLock { $0.failures } }

    /// The `*.so` files of the plugin directory, sorted by name.
    public func pluginFiles() throws -> [String] {
        try loader.pluginFiles()
    }

    /// Whether ``loadAll()`` has finished.
    public var initialLoadComplete: Bool { state.withLock { $0.initialLoadComplete } }

    /// Stops every serving plugin, in reverse order of the registry, each within the stop deadline.
    public func stopAll() async {
        state.withLock { $0.backgroundProbes }?.cancel()
        for plugin in registry.all.reversed() where plugin.currentState.initialized {
            guard let descriptor = plugin.descriptor else { continue }
            let outcome = await descriptor.stop(deadline: plugin.deadlines.stop)
            if let failure = outcome.completionFailure(call: "stop", deadline: plugin.deadlines.stop) {
                logger.warning("plugin \"\(plugin.name)\" did not stop cleanly: \(failure); going on")
            } else {
                logger.info("stopped plugin \"\(plugin.name)\"")
            }
            plugin.updateState { $0.serving = false }
        }
        for supervisor in supervisors.withLock({ $0 }) {
            await supervisor.stop(deadline: deadlines.stop)
        }
    }

    /// init → routes → start for one plugin. A failure is recorded, and the plugin's base
    /// path then answers 503 with the reason.
    func bringUp(_ plugin: HostedPlugin, _ descriptor: PluginDescriptor) async {
        progress(plugin.file, .`init`)
        if let conflict = mounts.claim(plugin.basePath, plugin: plugin.name, file: plugin.file) {
            return fail(plugin, .`init`, conflict, mountingBasePath: false)
        }
        guard plugin.currentState.lastError == nil else {
            // Taken out before it came up (a duplicate name): its base path says why.
            return mounts.mount(PluginMount(plugin: plugin, routes: [], host: self))
        }
        let section = configuration.section(for: plugin.configKey)
        let configJSON = (try? JSONCoding.encode(section.json)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let parameters = InitParameters(configJSON: configJSON, basePath: plugin.basePath, configPaths: configuration.files)
        let outcome = await descriptor.initialize(
            parameters, handle: plugin.handle.retainedPointer(), deadline: plugin.deadlines.initialize)
        if let reason = outcome.completionFailure(call: "init", deadline: plugin.deadlines.initialize) {
            return fail(plugin, .`init`, reason)
        }
        plugin.updateState { $0.initialized = true }

        let routes: [PluginRoute]
        switch await declaredRoutes(of: descriptor) {
        case .success(let declared): routes = declared
        case .failure(let error): return fail(plugin, .`init`, error.reason)
        }

        progress(plugin.file, .start)
        let started = await descriptor.start(deadline: plugin.deadlines.start)
        if let reason = started.completionFailure(call: "start", deadline: plugin.deadlines.start) {
            return fail(plugin, .start, reason)
        }
        let (document, documentProblems) = await capabilitiesDocument(of: plugin)
        let admitted = plugin.updateState { state -> Bool in
            guard state.lastError == nil else { return false }  // taken out meanwhile: a duplicate name
            state.serving = true
            state.capabilitiesDocument = document
            state.capabilitiesProblems = documentProblems
            state.routes = routes
            return true
        }
        guard admitted else { return }
        mounts.mount(PluginMount(plugin: plugin, routes: routes, host: self))
        _ = plugin.health.verdict()  // asks the plugin's healthy() for the first time, off this thread
        logger.info("plugin \"\(plugin.name)\" serving \(routes.count) route(s) under \(plugin.basePath)")
    }

    private func declaredRoutes(of descriptor: PluginDescriptor) async -> Result<[PluginRoute], RouteTable.RouteError> {
        let table = RouteTable()
        let status = await onDedicatedThread { descriptor.registerRoutes(into: table.retainedPointer()) }
        let declared = table.close()
        if !declared.errors.isEmpty {
            return .failure(.init(reason: "invalid routes: " + declared.errors.joined(separator: "; ")))
        }
        if let status, status != CATALOG_STATUS_OK {
            return .failure(.init(reason: "register_routes returned status \(status)"))
        }
        return .success(declared.routes)
    }

    /// The plugin's capabilities document with the host's management endpoints added, and
    /// where the plugin's own document breaks the published schema (logged as a warning).
    private func capabilitiesDocument(of plugin: HostedPlugin) async -> (JSONValue?, [String]) {
        guard plugin.identity.offers(CATALOG_CAPABILITY_CAPABILITIES_V2) else { return (nil, []) }
        let outcome = await plugin.invoke(CATALOG_OPERATION_CAPABILITIES_V2_GET, input: Array("{}".utf8), deadline: plugin.deadlines.operation)
        guard case .responded(let response) = outcome, response.status == 200,
            let document = try? JSONCoding.decode(response.bodyBytes)
        else {
            logger.warning("plugin \"\(plugin.name)\" offers \(CATALOG_CAPABILITY_CAPABILITIES_V2) but did not return a valid document")
            return (nil, ["the plugin offers \(CATALOG_CAPABILITY_CAPABILITIES_V2) but did not return a JSON document"])
        }
        let problems = CapabilitiesSchema.shared.problems(in: document)
        if !problems.isEmpty {
            logger.warning(
                "plugin \"\(plugin.name)\": its capabilities document does not match capabilities-v2.schema.json (served anyway): \(problems.joined(separator: "; "))")
        }
        return (ManagementDocument.advertise(in: document, identity: plugin.identity, basePath: plugin.basePath), problems)
    }

    /// Records a plugin's failure. Its base path, when it owns one, answers 503 with the reason.
    func fail(_ plugin: HostedPlugin, _ stage: LoadStage, _ reason: String, mountingBasePath: Bool = true) {
        plugin.updateState {
            $0.lastError = reason
            $0.serving = false
        }
        if mountingBasePath {
            mounts.mount(PluginMount(plugin: plugin, routes: [], host: self))
        }
        record(LoadFailure(file: plugin.file, stage: stage, reason: reason, plugin: plugin.name))
    }

    /// Registers `plugin`. A name that two files register is served by neither: the newcomer is
    /// refused and the plugin that had the name is taken out of service (its base path answers
    /// 503 with the reason), so a file dropped into the directory can make a catalog unavailable
    /// but never answer in its place, whichever file loads first.
    func register(_ plugin: HostedPlugin) -> Bool {
        guard let existing = registry.register(plugin) else { return true }
        let reason = "plugin name \"\(plugin.name)\" is registered by both \(existing.file) and \(plugin.file); "
            + "neither is served until one of them is removed"
        record(LoadFailure(file: plugin.file, stage: .duplicate, reason: reason, plugin: plugin.name))
        fail(existing, .duplicate, reason)
        return false
    }

    func record(_ failure: LoadFailure) {
        logger.error("skipped plugin: \(failure)")
        metrics.loadFailure(stage: failure.stage.rawValue)
        state.withLock { $0.failures.append(failure) }
    }
}

/// Runs blocking plugin code on a thread of its own, away from event loops and the
/// concurrency pool.
func onDedicatedThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
