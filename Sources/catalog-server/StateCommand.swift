import ArgumentParser
import CatalogServer
import Foundation
import Logging

/// `catalog-server state …`: tools for the server's own state.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Move the server's state (managed sources, revisions, overlays) between a state directory and a database.",
        subcommands: [StateImportCommand.self])
}

/// `catalog-server state import --database-url URL DIR`: copies a state directory into the database.
struct StateImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Copy a state directory (sources.yaml, revisions/, overlays.json) into the state database.",
        discussion: """
            Run it once, with the single server stopped, before starting replicas on the database. \
            It is idempotent: a second run copies nothing. The managed layer's versions are copied \
            oldest first with their times, so If-Match versions and rollbacks keep working; the \
            import refuses (and changes nothing) when the database already holds other changes to \
            the layer. An overlay is copied unless its entity already has one in the database.
            """)

    @Argument(help: "The state directory to copy (the server's --state-dir).")
    var directory: String

    @OptionGroup var databaseOptions: DatabaseOptions

    func run() async throws {
        LogOutput(level: .warning, format: .text).bootstrap(forChildren: false)
        let logger = Logger(label: "catalog-server")
        guard let url = try databaseOptions.url(environment: ProcessInfo.processInfo.environment) else {
            throw ValidationError("name the database with --database-url or CATALOG_DATABASE_URL")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-import-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        do {
            let database = try await StateDatabase.open(url: url, stateDirectory: scratch, logger: logger)
            let summary: StateImport.Summary
            do {
                summary = try await StateImport.copy(stateDirectory: directory, into: database)
                await database.close()
            } catch {
                await database.close()
                throw error
            }
            print("imported \(directory) into \(url): \(summary)")
        } catch {
            logger.critical("import failed, nothing more was copied: \(error)")
            throw ExitCode(1)
        }
    }
}
