import ArgumentParser
import CatalogServer
import Foundation
import Logging

/// `catalog-server plugins …`: tools for vendors and operators who ship and install plugins.
struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Pin, verify and probe plugin files without starting the server.",
        subcommands: [PinCommand.self, VerifyCommand.self, ProbeCommand.self, WorkerCommand.self])
}

/// `catalog-server plugins pin DIR`: writes DIR/plugins.lock with the SHA-256 of every `*.so`.
struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Write the pins file (DIR/plugins.lock) with the SHA-256 of every *.so in DIR.",
        discussion: "The format is sha256sum's: `sha256sum -c plugins.lock` checks it too.")

    @Argument(help: "The plugin directory.")
    var directory: String

    @Option(help: ArgumentHelp("Where to write the pins. (default: DIR/plugins.lock)", valueName: "file"))
    var output: String?

    func run() throws {
        let pins = try PluginPins.pinning(directory: directory)
        let path = output ?? (directory as NSString).appendingPathComponent(PluginPins.defaultFileName)
        try Data(pins.fileContents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        print("pinned \(pins.digests.count) plugin file(s) in \(path)")
    }
}

/// `catalog-server plugins verify DIR`: screens every `*.so` as the server would and prints a table.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Probe every *.so in DIR as the server would, and print what it would load or refuse.",
        discussion: "Exits with status 1 when any file would be refused.")

    @Argument(help: "The plugin directory.")
    var directory: String

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var trustOptions: TrustOptions

    func run() async throws {
        LogOutput(level: .error, format: .text).bootstrap(forChildren: true)
        let logger = Logger(label: "catalog-server")
        let configuration = try configurationOptions.load(environment: ProcessInfo.processInfo.environment, logger: logger)
        var trust = try trustOptions.settings(pluginsDirectory: directory, cache: false)
        if trust.probe == nil {
            trust.probe = ProbeSettings(executable: TrustOptions.executablePath, cachePath: nil)
        }
        let host = PluginHost(
            pluginsDirectory: directory, configuration: configuration, deadlines: CallDeadlines(), trust: trust, logger: logger)
        let files = try host.pluginFiles()
        let screenings = await host.screen(files)
        let rows = screenings.map(VerifyRow.init)
        print(VerifyRow.table(rows))
        // Warnings, not refusals: a document that breaks the schema is still served.
        for row in rows {
            for warning in row.warnings { print("warning: \(row.file): \(warning)") }
        }
        if rows.contains(where: { $0.verdict != "ok" }) { throw ExitCode(1) }
    }
}

/// `catalog-server plugins probe FILE`: the probe child. Loads one file into this process,
/// initialises its plugins with the real configuration, and prints a JSON report as the last
/// line of standard output. Run by the server; not meant to be run by hand.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe", abstract: "Probe one plugin file (used by the server).", shouldDisplay: false)

    @Argument var file: String
    @OptionGroup var configurationOptions: ConfigurationOptions

    func run() async throws {
        let (logger, configuration) = try configurationOptions.startChild(label: "catalog-server.probe")
        let host = await PluginHost.loading(file: file, configuration: configuration, logger: logger)
        let report = try JSONEncoder().encode(ProbeReport(host: host))
        FileHandle.standardOutput.write(report + Data("\n".utf8))
    }
}

/// `catalog-server plugins worker FILE`: a worker for a plugin with `isolation: process`. Serves
/// the plugins of one file over the socket on standard input. Run by the server; not by hand.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Serve one plugin file in a worker process (used by the server).", shouldDisplay: false)

    @Argument var file: String
    @OptionGroup var configurationOptions: ConfigurationOptions

    func run() async throws {
        let (logger, configuration) = try configurationOptions.startChild(label: "catalog-server.worker")
        try await PluginWorker.run(file: file, configuration: configuration, logger: logger)
    }
}
