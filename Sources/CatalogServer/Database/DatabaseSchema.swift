import Foundation
import PostgresNIO

/// The tables the shared state lives in, created and migrated when a server connects.
///
/// Migration runs in one transaction under a transaction-level advisory lock, so replicas
/// that start together migrate once, one after the other; the schema's version is a row of
/// `catalog_schema`. A database migrated by a newer server (a higher version) is refused, so an
/// older binary never writes into tables it does not know.
///
/// | table | rows |
/// |---|---|
/// | `catalog_schema` | the schema version (one row) |
/// | `catalog_config_revisions` | every stored version of the managed `sources.yaml` layer: `sequence`, `version`, `content` (the YAML text), `created_at`; the highest sequence is in force |
/// | `catalog_overlays` | `plugin`, `entity`, `overlay` (the overlay's JSON), `updated_at` |
/// | `catalog_refresh_windows` | `target` (`plugin/source`), `refreshed_at`: the refresh rate limit of the whole cluster |
enum DatabaseSchema {
    /// The schema version this server writes.
    static let version = 1

    /// Advisory lock held while migrating.
    static let migrationLock: Int64 = 0x6361_7461_6C6F_6701
    /// Advisory lock held while changing the managed configuration layer.
    static let configurationLock: Int64 = 0x6361_7461_6C6F_6702
    /// The channel on which every change is announced (LISTEN/NOTIFY).
    static let channel = "catalog_state"

    /// The statements that take the schema from version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE catalog_config_revisions (
                sequence bigserial PRIMARY KEY, version text NOT NULL, content text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE catalog_overlays (
                plugin text NOT NULL, entity text NOT NULL, overlay text NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (plugin, entity))
            """,
            "CREATE TABLE catalog_refresh_windows (target text PRIMARY KEY, refreshed_at timestamptz NOT NULL)",
        ]
    ]

    /// Creates or migrates the schema; with a fresh schema, stores `initialContent` as the
    /// first version of the managed layer.
    ///
    /// - Parameters:
    ///   - session: the connection to migrate through.
    ///   - initialContent: the managed layer's text before any change.
    /// - Throws: ``StoreError/database(_:)`` when the database's schema is newer than this server's.
    /// - Returns: the version the schema had before.
    @discardableResult
    static func migrate(_ session: DatabaseSession, initialContent: String) async throws -> Int {
        let before = try await session.transaction(beforeSchemaCheck: true) { connection in
            let logger = session.logger
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS catalog_schema (id int PRIMARY KEY CHECK (id = 1), version int NOT NULL)", logger: logger)
            var found = 0
            for try await stored in try await connection.query("SELECT version FROM catalog_schema WHERE id = 1", logger: logger).decode(Int.self) {
                found = stored
            }
            guard found <= version else {
                throw StoreError.database(
                    "the database's schema is version \(found), newer than this server's (\(version)): it was migrated by a newer catalog-server; run that version or newer")
            }
            guard found < version else { return found }  // checked: this server knows the schema
            for step in migrations[found...] {
                for statement in step { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
            }
            if found == 0 {
                let initialVersion = ConfigRevision.version(of: Data(initialContent.utf8))
                try await connection.query(
                    "INSERT INTO catalog_config_revisions (version, content) VALUES (\(initialVersion), \(initialContent))", logger: logger)
            }
            try await connection.query(
                "INSERT INTO catalog_schema (id, version) VALUES (1, \(version)) ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version",
                logger: logger)
            return found
        }
        session.schemaChecked = true
        return before
    }
}
