import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// The catalog server: one HTTP server for every plugin in the plugin directory.
///
/// ```swift
/// let server = CatalogServer(settings: settings, logger: logger)
/// try await server.run()   // until SIGTERM or SIGINT
/// ```
///
/// The server listens at once; plugins load in the background and `/readyz` answers 503
/// until they have. On shutdown the server stops accepting, drains in-flight requests, then
/// stops every plugin within its stop deadline.
public struct CatalogServer: Sendable {
    /// The `Server` header of every response.
    static let serverName = "catalog-server"

    public let settings: ServerSettings
    public let host: PluginHost
    private let logger: Logger

    public init(settings: ServerSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.host = PluginHost(
            pluginsDirectory: settings.pluginsDirectory, configuration: settings.configuration,
            deadlines: settings.deadlines, trust: settings.trust, stores: settings.stores,
            dataRoots: DataRoots(configurationFiles: settings.configuration.files, extra: settings.dataRoots), logger: logger)
        PluginReply.maximumBodySize.store(settings.maximumResponseBytes, ordering: .relaxed)
    }

    /// The application: HTTP server plus the plugin host service. `onListening` receives the
    /// bound port once the server accepts connections.
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let (addresses, addressContinuation) = AsyncStream.makeStream(of: String.self)
        let responder = CatalogResponder(
            mounts: host.mounts,
            framework: FrameworkRoutes(
                host: host, strictReadiness: settings.strictReadiness, readinessGrace: settings.readinessGrace
            ).buildResponder(),
            access: settings.access, loopback: settings.listensOnLoopback, accessLogLevel: settings.accessLogLevel, logger: logger)
        let limits = settings.connectionLimits
        let throttledLog = ThrottledLog(logger: logger)
        let hostService = PluginHostService(
            host: host, listeningAddress: addresses, reconcileInterval: settings.reconcileInterval,
            readinessGrace: settings.readinessGrace, logger: logger)
        var services: [any Service] = [hostService]
        if let database = settings.stores?.database {
            services.append(DatabaseFollowing(database: database, host: host, backstop: settings.reconcileInterval))
        }
        let settings = settings
        return Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [
                ConnectionGuard(limits: limits, log: throttledLog), PluginRouteHandler(responder: responder),
            ])),
            configuration: ApplicationConfiguration(
                address: .hostname(settings.host, port: settings.port), serverName: Self.serverName,
                availableConnectionsDelegate: ConnectionCounter(maximum: limits.maximumConnections, log: throttledLog)),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                addressContinuation.yield("\(settings.host):\(port)")
                addressContinuation.finish()
                await onListening(port)
            },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func run() async throws {
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: makeApplication())],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await serviceGroup.run()
    }
}

/// Loads the plugins once the server runs, reports the start-up summary, reconciles the
/// configuration and plugin directory every interval and on SIGHUP, and stops the plugins at
/// shutdown, after the HTTP server has drained (services stop in reverse order).
struct PluginHostService: Service {
    let host: PluginHost
    let listeningAddress: AsyncStream<String>
    let reconcileInterval: Duration?
    let readinessGrace: Duration
    let logger: Logger

    func run() async throws {
        // Past the readiness grace, say which files are holding out and at which step.
        let holdouts = Task { [host, readinessGrace, logger] in
            try await Task.sleep(for: readinessGrace)
            let loading = host.loading
            guard !host.initialLoadComplete, !loading.isEmpty else { return }
            let files = loading.map { "\($0.file) (\($0.stage.rawValue) for \(Int($0.seconds))s)" }.joined(separator: ", ")
            logger.warning("still loading after \(readinessGrace), serving the others meanwhile: \(files)")
        }
        await host.loadAll()
        holdouts.cancel()
        var address = "(not listening)"
        for await bound in listeningAddress {
            address = bound
            break
        }
        let plugins = host.registry.all
        let serving = plugins.filter { $0.currentState.serving }.count
        logger.notice(
            "catalog-server started: \(serving) plugin(s) serving, \(host.failures.count) failure(s), listening on http://\(address)",
            metadata: ["plugins": "\(plugins.map(\.name).joined(separator: ","))"])
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown { [host, reconcileInterval] in
            // Each reconcile is a task of its own: one that waits for a slow new plugin file
            // does not hold back the next interval or SIGHUP.
            await withDiscardingTaskGroup { group in
                if let reconcileInterval {
                    group.addTask {
                        await withDiscardingTaskGroup { reconciles in
                            while (try? await Task.sleep(for: reconcileInterval)) != nil {
                                reconciles.addTask { await host.reconcile() }
                            }
                        }
                    }
                }
                group.addTask {
                    await withDiscardingTaskGroup { reconciles in
                        for await _ in hangups { reconciles.addTask { await host.reconcile() } }
                    }
                }
            }
        }
        await host.stopAll()
    }
}
