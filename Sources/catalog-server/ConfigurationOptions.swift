import ArgumentParser
import CatalogServer
import Foundation
import Logging

/// `--sources`: the configuration files, with their environment fallback and embedded default.
struct ConfigurationOptions: ParsableArguments {
    @Option(
        name: .customLong("sources"),
        help: ArgumentHelp(
            "A sources.yaml file; repeat to merge several, later files win. (default: the embedded development configuration)",
            valueName: "file"))
    var sources: [String] = []

    /// The files to merge: `--sources`, else `CATALOG_SOURCES` (comma-separated), else the embedded default.
    func paths(environment: [String: String]) throws -> [String] {
        if !sources.isEmpty { return sources }
        if let fromEnvironment = environment["CATALOG_SOURCES"], !fromEnvironment.isEmpty {
            return fromEnvironment.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let embedded = Bundle.module.path(forResource: "sources", ofType: "yaml", inDirectory: "Defaults") else {
            throw ValidationError("the embedded default configuration is missing from this build; pass --sources FILE")
        }
        return [embedded]
    }

    /// Sets up a child process of the server (a probe or a worker): logs to standard error,
    /// survives a closed standard error (the server may be gone), and loads exactly the files
    /// the server passed.
    func startChild(label: String) throws -> (Logger, SourcesConfiguration) {
        signal(SIGPIPE, SIG_IGN)
        // A child outlives no server: when the parent is gone (reparented), exit.
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { usleep(250_000) }
            _exit(0)
        }
        // As the server that started this child (which checked the variables).
        ((try? LogOutput.fromEnvironment()) ?? LogOutput(level: .info, format: .text)).bootstrap(forChildren: false)
        let logger = Logger(label: label)
        return (logger, try load(environment: [:], logger: logger))
    }

    /// Loads and merges the configuration, then `managedLayer` when given, or explains which
    /// file is wrong and exits with status 2.
    func load(environment: [String: String], managedLayer: String? = nil, logger: Logger) throws -> SourcesConfiguration {
        do {
            return try SourcesConfiguration.load(paths: try paths(environment: environment) + (managedLayer.map { [$0] } ?? []))
        } catch let error as ValidationError {
            throw error
        } catch {
            logger.critical("cannot load configuration: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Pins and probing: what the server checks before it loads a plugin file.
struct TrustOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Pins file of \"<sha256>  <file>\" lines. (default: plugins.lock in the plugin directory, when present)", valueName: "file"))
    var pins: String?

    @Option(help: ArgumentHelp("With pins: refuse (strict) or only warn about (permissive) an unpinned or changed plugin file.", valueName: "mode"))
    var pinMode: PluginPins.Mode = .strict

    @Flag(help: "Load plugin files directly, without probing each one in a child process first.")
    var noProbe = false

    @Option(help: ArgumentHelp("Seconds a probe may take before the file is quarantined.", valueName: "seconds"))
    var probeTimeout: Double = 30

    @Option(help: ArgumentHelp("Probe verdict cache. (default: $XDG_CACHE_HOME or ~/.cache, catalog-server/probe-cache.json)", valueName: "file"))
    var probeCache: String?

    @Flag(help: "Forget every cached probe verdict before loading.")
    var clearProbeCache = false

    func validate() throws {
        guard probeTimeout > 0 else { throw ValidationError("--probe-timeout must be positive") }
    }

    /// The trust settings for plugins in `directory`; `cache` false disables the verdict cache.
    func settings(pluginsDirectory directory: String, cache: Bool = true) throws -> TrustSettings {
        let defaultPins = (directory as NSString).appendingPathComponent(PluginPins.defaultFileName)
        let pinsPath = pins ?? (FileManager.default.fileExists(atPath: defaultPins) ? defaultPins : nil)
        let loadedPins = try pinsPath.map { path in
            do {
                return try PluginPins.load(path: path)
            } catch {
                throw ValidationError("cannot read pins file \(path): \(error)")
            }
        }
        let cachePath = probeCache ?? ProbeSettings.defaultCachePath
        if clearProbeCache { try ProbeCache.clear(path: cachePath) }
        let probe = noProbe ? nil : ProbeSettings(
            executable: Self.executablePath, timeout: .milliseconds(Int(probeTimeout * 1000)), cachePath: cache ? cachePath : nil)
        return TrustSettings(pins: loadedPins, pinMode: pinMode, probe: probe)
    }

    /// This executable, which probe children run in probe mode.
    static var executablePath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}

extension PluginPins.Mode: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

/// How log entries are written to standard error.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// swift-log's line per entry.
    case text
    /// One JSON object per line (``JSONLogHandler``).
    case json
}

/// Sends log output to standard error at `level`, as `format` says.
/// Where log lines go and how they look: standard error, as text or JSON, from a level on.
struct LogOutput {
    var level: Logger.Level
    var format: LogFormat

    /// The options given, else `CATALOG_LOG_LEVEL` and `CATALOG_LOG_FORMAT`, else `info` as text.
    ///
    /// - Parameters:
    ///   - level: `--log-level`, if given.
    ///   - format: `--log-format`, if given.
    /// - Throws: `ValidationError` naming the variable when one is set to something else than a
    ///   level or a format.
    static func fromEnvironment(level: Logger.Level? = nil, format: LogFormat? = nil) throws -> LogOutput {
        let environment = ProcessInfo.processInfo.environment
        func read<Value>(_ name: String, _ parse: (String) -> Value?, _ expected: String) throws -> Value? {
            guard let text = environment[name] else { return nil }
            guard let value = parse(text) else { throw ValidationError("\(name) must be \(expected), not \"\(text)\"") }
            return value
        }
        return LogOutput(
            level: try level ?? read("CATALOG_LOG_LEVEL", Logger.Level.init(rawValue:), "trace, debug, info, notice, warning, error or critical") ?? .info,
            format: try format ?? read("CATALOG_LOG_FORMAT", LogFormat.init(rawValue:), "text or json") ?? .text)
    }

    /// Makes every logger of this process write this way; with `forChildren`, the probe and
    /// worker processes the server starts later (they inherit the environment) do too.
    func bootstrap(forChildren: Bool) {
        if forChildren {
            setenv("CATALOG_LOG_LEVEL", level.rawValue, 1)
            setenv("CATALOG_LOG_FORMAT", format.rawValue, 1)
        }
        LoggingSystem.bootstrap { [level, format] label in
            switch format {
            case .text:
                var handler = TextLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
