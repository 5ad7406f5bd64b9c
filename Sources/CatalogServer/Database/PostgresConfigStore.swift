import CatalogJSON
import Foundation
import PostgresNIO
import Synchronization

/// The managed configuration layer in PostgreSQL, shared by every replica.
///
/// Each version is a row of `catalog_config_revisions`; the highest sequence is in force. A
/// change runs in one transaction holding the layer's advisory lock: it reads the version in
/// force, refuses a stale `If-Match`, stores the new version, deletes the oldest beyond
/// ``historyLimit``, announces the change, and commits — so of two replicas writing on one
/// version exactly one wins, and a change is acknowledged only once it is committed.
///
/// The server merges files, so every replica keeps a copy of the version in force in its
/// state directory (``path``, rewritten atomically) and in memory: reads and reloads never
/// wait for the database, and a replica that starts while the database is down serves the
/// copy of its last run until it can catch up.
public final class PostgresConfigStore: ConfigStore {
    /// The copy this server merges last: `database-sources.yaml` in the state directory.
    public let path: String
    /// How many versions the database keeps.
    public let historyLimit: Int
    private let session: DatabaseSession
    private let announce: @Sendable (StateChange) -> String
    /// The version in force as this server last read it (or, before the database answered, the
    /// copy its last run left); `nil` when it has neither.
    private let inForce: Mutex<ConfigRevision?>

    static let header = "# The managed configuration layer, kept in PostgreSQL by catalog-server's management API.\n# This file is this server's copy and is rewritten whenever the layer changes: change it through the API.\n"

    /// The layer's text before any change.
    static let initialContent = header + "apiVersion: catalog/v1alpha1\ncatalogs: {}\nkind: CatalogSources\n"

    init(session: DatabaseSession, stateDirectory: String, historyLimit: Int = 50, announce: @escaping @Sendable (StateChange) -> String) throws {
        self.session = session
        self.historyLimit = historyLimit
        self.announce = announce
        self.path = (stateDirectory as NSString).appendingPathComponent("database-sources.yaml")
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.corrupt("cannot create the state directory \(stateDirectory): \(error.localizedDescription)")
        }
        if let data = FileManager.default.contents(atPath: path),
           let revision = try? Self.revision(content: String(decoding: data, as: UTF8.self), createdAt: Date(), source: path)
        {
            inForce = Mutex(revision)
        } else {
            inForce = Mutex(nil)
            try AtomicFile.write(Data(Self.initialContent.utf8), to: path)
        }
        AtomicFile.removeLeftovers(in: stateDirectory)
    }

    public func current() async throws -> ConfigRevision {
        if let known = inForce.withLock({ $0 }) { return known }
        try await synchronize()
        guard let known = inForce.withLock({ $0 }) else { throw StoreError.corrupt("the database holds no version of the managed layer") }
        return known
    }

    /// Whether this server has a version of the layer to serve: one read from the database, or
    /// the copy its last run left.
    var hasVersion: Bool { inForce.withLock { $0 != nil } }

    public func update(expectedVersion: String?, _ change: (inout JSONValue) throws -> Void) async throws -> ConfigRevision {
        try await session.transaction({ connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(DatabaseSchema.configurationLock))", logger: session.logger)
            guard let latest = try await Self.latest(connection, logger: session.logger) else {
                throw StoreError.corrupt("the database holds no version of the managed layer")
            }
            if let expectedVersion, expectedVersion != latest.version {
                throw StoreError.staleVersion(expected: expectedVersion, current: latest.version)
            }
            var document = latest.document
            try change(&document)
            guard document != latest.document else { return latest }
            let content = Self.header + (try YAMLDocument.serialize(document))
            let version = ConfigRevision.version(of: Data(content.utf8))
            let rows = try await connection.query(
                "INSERT INTO catalog_config_revisions (version, content) VALUES (\(version), \(content)) RETURNING sequence, created_at",
                logger: session.logger)
            var inserted: (Int64, Date)?
            for try await row in rows.decode((Int64, Date).self) { inserted = row }
            guard let (sequence, createdAt) = inserted else { throw StoreError.database("the new version was not stored") }
            try await connection.query(
                "DELETE FROM catalog_config_revisions WHERE sequence <= \(sequence - Int64(historyLimit))", logger: session.logger)
            try await connection.query("SELECT pg_notify(\(DatabaseSchema.channel), \(announce(.configuration)))", logger: session.logger)
            return try Self.revision(content: content, createdAt: createdAt, source: "version \(version)")
        }, committed: { try adopt($0) })
    }

    public func revisions() async throws -> [ConfigRevision] {
        try await session.run { connection in
            let rows = try await connection.query(
                "SELECT version, content, created_at FROM catalog_config_revisions ORDER BY sequence DESC LIMIT \(historyLimit)",
                logger: session.logger)
            var revisions: [ConfigRevision] = []
            for try await (version, content, createdAt) in rows.decode((String, String, Date).self) {
                revisions.append(try Self.revision(content: content, createdAt: createdAt, source: "version \(version)"))
            }
            return revisions
        }
    }

    /// Reads the version in force from the database and, when it is newer than this server's,
    /// rewrites the copy.
    ///
    /// - Returns: whether the version in force changed.
    @discardableResult
    func synchronize() async throws -> Bool {
        try await session.run { connection in
            guard let latest = try await Self.latest(connection, logger: session.logger) else { return false }
            return try adopt(latest)
        }
    }

    /// Copies into the database the history of a file store: when the database holds no change
    /// yet, every version from oldest to newest; when its version in force is already the
    /// file's, nothing. A database with other changes is left as it is.
    ///
    /// - Parameter history: the file store's versions, oldest first, with their text.
    /// - Returns: how many versions were copied.
    func importHistory(_ history: [(content: String, createdAt: Date)]) async throws -> Int {
        guard let newest = history.last else { return 0 }
        let imported = try await session.transaction { connection -> Int in
            try await connection.query("SELECT pg_advisory_xact_lock(\(DatabaseSchema.configurationLock))", logger: session.logger)
            let rows = try await connection.query("SELECT version FROM catalog_config_revisions ORDER BY sequence", logger: session.logger)
            var versions: [String] = []
            for try await version in rows.decode(String.self) { versions.append(version) }
            let newestVersion = ConfigRevision.version(of: Data(newest.content.utf8))
            if versions.last == newestVersion { return 0 }
            let untouched = versions.count <= 1 && (versions.first.map { $0 == ConfigRevision.version(of: Data(Self.initialContent.utf8)) } ?? true)
            guard untouched else {
                throw StoreError.database(
                    "the database already holds changes to the managed layer (version \(versions.last ?? "?") is in force): importing would replace them, so nothing was imported")
            }
            for (content, createdAt) in history {
                let version = ConfigRevision.version(of: Data(content.utf8))
                try await connection.query(
                    "INSERT INTO catalog_config_revisions (version, content, created_at) VALUES (\(version), \(content), \(createdAt))",
                    logger: session.logger)
            }
            try await connection.query("SELECT pg_notify(\(DatabaseSchema.channel), \(announce(.configuration)))", logger: session.logger)
            return history.count
        }
        if imported > 0 { try await synchronize() }
        return imported
    }

    // MARK: Helpers

    /// Makes `stored` the version in force here and rewrites the copy when it changed; called
    /// by the session's operations, one at a time and in the order they read the database.
    /// Returns whether the version changed.
    @discardableResult
    private func adopt(_ stored: ConfigRevision) throws -> Bool {
        try inForce.withLock { known in
            let changed = known?.version != stored.version
            if changed { try AtomicFile.write(Data(stored.text.utf8), to: path) }
            known = stored
            return changed
        }
    }

    private static func latest(_ connection: PostgresConnection, logger: Logger) async throws -> ConfigRevision? {
        let rows = try await connection.query(
            "SELECT version, content, created_at FROM catalog_config_revisions ORDER BY sequence DESC LIMIT 1", logger: logger)
        for try await (version, content, createdAt) in rows.decode((String, String, Date).self) {
            return try revision(content: content, createdAt: createdAt, source: "version \(version)")
        }
        return nil
    }

    private static func revision(content: String, createdAt: Date, source: String) throws -> ConfigRevision {
        let document = try YAMLDocument.parse(content, path: "the managed layer's \(source)")
        return ConfigRevision(
            version: ConfigRevision.version(of: Data(content.utf8)), document: document == .null ? .object([:]) : document,
            createdAt: createdAt, text: content)
    }
}
