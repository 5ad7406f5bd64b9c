import ArgumentParser
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
            Every *.so file directly inside the plugin directory is loaded at start-up. A file that \
            cannot be loaded (not a shared object, missing symbol, unresolved dependency, \
            incompatible ABI, duplicate name, failing init) is skipped and listed with its reason \
            in GET /api/plugins; the server serves the rest.

            Environment fallbacks: CATALOG_LISTEN, CATALOG_PLUGINS_DIR, and CATALOG_SOURCES \
            (a comma-separated list of files). Command-line options win over the environment.
            """)

    @Option(help: ArgumentHelp("Address to listen on, HOST:PORT ([::1]:PORT for IPv6; port 0 picks a free port).", valueName: "host:port"))
    var listen: String?

    @Option(name: .customLong("plugins-dir"), help: ArgumentHelp("Directory holding the *.so plugin files. (default: ./plugins)", valueName: "dir"))
    var pluginsDirectory: String?

    @Option(
        name: .customLong("sources"),
        help: ArgumentHelp(
            "A sources.yaml file; repeat to merge several, later files win. (default: the embedded development configuration)",
            valueName: "file"))
    var sources: [String] = []

    @Flag(help: "Report not ready (503 on /readyz) when any plugin failed, instead of degraded.")
    var strictReadiness = false

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: Logger.Level = .info

    mutating func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "catalog-server")
        let environment = ProcessInfo.processInfo.environment

        let address = try ListenAddress(parsing: listen ?? environment["CATALOG_LISTEN"] ?? "127.0.0.1:8080")
        let pluginsDirectory = pluginsDirectory ?? environment["CATALOG_PLUGINS_DIR"] ?? "./plugins"
        let sourcePaths = try resolvedSourcePaths(environment: environment)

        let configuration: SourcesConfiguration
        do {
            configuration = try SourcesConfiguration.load(paths: sourcePaths)
        } catch {
            logger.critical("refusing to start: cannot load configuration: \(error)")
            throw ExitCode(2)
        }
        logger.info("configuration: \(configuration.files.joined(separator: ", "))")
        let settings = ServerSettings(
            host: address.host, port: address.port, pluginsDirectory: pluginsDirectory,
            configuration: configuration, strictReadiness: strictReadiness)
        try await CatalogServer(settings: settings, logger: logger).run()
    }

    private func resolvedSourcePaths(environment: [String: String]) throws -> [String] {
        if !sources.isEmpty { return sources }
        if let fromEnvironment = environment["CATALOG_SOURCES"], !fromEnvironment.isEmpty {
            return fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let embedded = Bundle.module.path(forResource: "sources", ofType: "yaml", inDirectory: "Defaults") else {
            throw ValidationError("the embedded default configuration is missing from this build; pass --sources FILE")
        }
        return [embedded]
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
