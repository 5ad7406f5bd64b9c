import ArgumentParser
import CatalogJSON
import CatalogServer
import Foundation
import Logging

/// `catalog-server`: serve every catalog plugin of a directory from one HTTP server.
@main
struct CatalogServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog-server",
        abstract: "Serve AI-asset catalogs (models, MCP servers, agents, knowledge, …) loaded as .so plugins.",
        discussion: """
            Every *.so file directly inside the plugin directory is checked (owner and permissions, \
            pins when a pins file exists), probed in a child process, then loaded. A file that fails \
            any step (unsafe permissions, pin mismatch, crash or hang in the probe, not a shared \
            object, missing symbol, unresolved dependency, incompatible ABI, duplicate name, failing \
            init) is skipped and listed with its stage and reason in GET /api/plugins; the server \
            serves the rest.

            Changes made through the management API ({basePath}/management/…) are kept in the \
            state directory: sources.yaml there is merged after the --sources files, its earlier \
            versions are in revisions/, and entity tags, annotations and deprecations are in \
            overlays.json. Every file there is replaced atomically. With --database-url they are \
            kept in PostgreSQL instead and shared by every replica on that database (each keeps a \
            copy of the managed layer in its state directory); `catalog-server state import` \
            copies a state directory into the database.

            Management writes need an admin token when --auth-tokens is given; without one they \
            are refused on a non-loopback address unless --allow-unauthenticated-management. \
            Files named through the management API must lie in the data roots: the directories \
            of the configuration files, the state directory, and each --data-root.

            Environment fallbacks: CATALOG_LISTEN, CATALOG_PLUGINS_DIR, CATALOG_STATE_DIR, \
            CATALOG_DATABASE_URL, CATALOG_AUTH_TOKENS, CATALOG_LOG_LEVEL, CATALOG_LOG_FORMAT and CATALOG_SOURCES (a \
            comma-separated list of files). \
            Command-line options win over the environment.
            """,
        version: "catalog-server \(CatalogServerVersion.current) (plugin ABI \(ABIVersion.host), Swift \(SwiftToolchain.version))",
        subcommands: [PluginsCommand.self, StateCommand.self])

    @Option(help: ArgumentHelp("Address to listen on, HOST:PORT ([::1]:PORT for IPv6; port 0 picks a free port).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("plugins-dir"), help: ArgumentHelp("Directory holding the *.so plugin files. (default: ./plugins)", valueName: "dir"))
    var pluginsDirectory: String?

    @OptionGroup var configurationOptions: ConfigurationOptions

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Directory for what the management API changes: the managed sources.yaml layer, its revisions and the entity overlays. (default: ./state)", valueName: "dir"))
    var stateDirectory: String?

    @OptionGroup var databaseOptions: DatabaseOptions

    @Flag(help: "Report not ready (503 on /readyz) when any plugin failed or the state database is unavailable, instead of degraded.")
    var strictReadiness = false

    @Option(help: ArgumentHelp("Seconds /readyz waits at start-up for plugins still loading; after it they are listed as loading and the server is degraded (not ready with --strict-readiness).", valueName: "seconds"))
    var readinessGrace: Double = 3

    @OptionGroup var trustOptions: TrustOptions

    @OptionGroup var exposureOptions: ExposureOptions

    @Option(help: ArgumentHelp("Seconds between reconciles of the configuration files and plugin directory; 0 reconciles only on SIGHUP.", valueName: "seconds"))
    var reconcileInterval: Double = 30

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical. (default: info; env: CATALOG_LOG_LEVEL)", valueName: "level"))
    var logLevel: Logger.Level?

    @Option(help: ArgumentHelp("Log format: text (a line per entry) or json (a JSON object per line, metadata such as request_id as members). (default: text; env: CATALOG_LOG_FORMAT)", valueName: "format"))
    var logFormat: LogFormat?

    @Option(help: ArgumentHelp("Level of the access log line of each request (method, path, status, duration_ms, request_id), or none.", valueName: "level"))
    var accessLogLevel: String = "debug"

    func validate() throws {
        guard reconcileInterval >= 0 else { throw ValidationError("--reconcile-interval must be 0 or more seconds") }
        guard readinessGrace >= 0 else { throw ValidationError("--readiness-grace must be 0 or more seconds") }
        guard accessLogLevel == "none" || Logger.Level(rawValue: accessLogLevel) != nil else {
            throw ValidationError("--access-log-level must be none, trace, debug, info, notice, warning, error or critical")
        }
    }

    mutating func run() async throws {
        try LogOutput.fromEnvironment(level: logLevel, format: logFormat).bootstrap(forChildren: true)
        let logger = Logger(label: "catalog-server")
        let environment = ProcessInfo.processInfo.environment

        let address = try ListenAddress(parsing: listen ?? environment["CATALOG_LISTEN"] ?? "127.0.0.1:8080")
        let pluginsDirectory = pluginsDirectory ?? environment["CATALOG_PLUGINS_DIR"] ?? "./plugins"
        // The operator's files first: a mistake in them is reported before anything is created.
        _ = try configurationOptions.load(environment: environment, logger: logger)
        let stateDirectory = stateDirectory ?? environment["CATALOG_STATE_DIR"] ?? "./state"
        let stores: StateStores
        if let databaseURL = try databaseOptions.url(environment: environment) {
            do {
                stores = StateStores(database: try await StateDatabase.open(url: databaseURL, stateDirectory: stateDirectory, logger: logger))
            } catch {
                logger.critical("cannot use the state database \(databaseURL): \(error)")
                throw ExitCode(2)
            }
        } else {
            do {
                stores = try StateStores.files(in: stateDirectory)
            } catch {
                logger.critical("cannot open the state directory \(stateDirectory): \(error); choose another with --state-dir")
                throw ExitCode(2)
            }
        }
        let configuration = try configurationOptions.load(
            environment: environment, managedLayer: stores.configuration.path, logger: logger)
        logger.info("configuration: \(configuration.files.joined(separator: ", "))")
        ConnectionLimits.raiseOpenFileLimit()
        var settings = ServerSettings(
            host: address.host, port: address.port, pluginsDirectory: pluginsDirectory,
            configuration: configuration, strictReadiness: strictReadiness,
            trust: try trustOptions.settings(pluginsDirectory: pluginsDirectory),
            reconcileInterval: reconcileInterval > 0 ? .milliseconds(Int64(reconcileInterval * 1000)) : nil, stores: stores,
            dataRoots: exposureOptions.dataRoots, access: try exposureOptions.accessPolicy(environment: environment),
            connectionLimits: exposureOptions.connectionLimits, maximumResponseBytes: exposureOptions.maxResponseBytes)
        settings.readinessGrace = .milliseconds(Int64(readinessGrace * 1000))
        settings.accessLogLevel = Logger.Level(rawValue: accessLogLevel)
        if !settings.listensOnLoopback && settings.access.tokens == nil && !settings.access.allowUnauthenticatedManagement {
            logger.warning("listening on \(address.host) without --auth-tokens: management writes are refused (403)")
        }
        ExitGuard.arm()
        defer { ExitGuard.disarm() }
        try await CatalogServer(settings: settings, logger: logger).run()
    }
}
