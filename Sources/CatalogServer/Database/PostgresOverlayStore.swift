import Foundation
import PostgresNIO
import Synchronization

/// Entity overlays in PostgreSQL, shared by every replica, with a copy in memory for reads.
///
/// An action runs in one transaction that locks the entity's row — one upsert that inserts an
/// empty row or locks the existing one, waiting for a concurrent writer and seeing its result,
/// even a deletion — applies the change to what is stored, writes or deletes the row and
/// announces it; the copy in memory follows once it is committed. Other replicas update
/// their copy when they hear the announcement, and re-read every overlay when they reconnect.
public final class PostgresOverlayStore: OverlayStore {
    private let session: DatabaseSession
    private let announce: @Sendable (StateChange) -> String
    private let entries = Mutex<[String: [String: EntityOverlay]]>([:])

    init(session: DatabaseSession, announce: @escaping @Sendable (StateChange) -> String) {
        self.session = session
        self.announce = announce
    }

    public func overlays(plugin: String) -> [String: EntityOverlay] {
        entries.withLock { $0[plugin] ?? [:] }
    }

    public func update(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) async throws -> EntityOverlay {
        try await session.transaction({ connection in
            let logger = session.logger
            let empty = String(decoding: try EntityOverlay.encoder.encode(EntityOverlay()), as: UTF8.self)
            // ON CONFLICT DO UPDATE (unlike DO NOTHING) waits for a writer holding the row and
            // then inserts afresh if that writer deleted it: the row is ours either way.
            let rows = try await connection.query(
                """
                INSERT INTO catalog_overlays (plugin, entity, overlay) VALUES (\(plugin), \(entity), \(empty))
                ON CONFLICT (plugin, entity) DO UPDATE SET plugin = EXCLUDED.plugin RETURNING overlay
                """, logger: logger)
            var overlay = EntityOverlay()
            for try await text in rows.decode(String.self) { overlay = try Self.decode(text, plugin: plugin, entity: entity) }
            try change(&overlay)
            if overlay.isEmpty {
                try await connection.query("DELETE FROM catalog_overlays WHERE plugin = \(plugin) AND entity = \(entity)", logger: logger)
            } else {
                let text = String(decoding: try EntityOverlay.encoder.encode(overlay), as: UTF8.self)
                try await connection.query(
                    "UPDATE catalog_overlays SET overlay = \(text), updated_at = now() WHERE plugin = \(plugin) AND entity = \(entity)",
                    logger: logger)
            }
            try await connection.query(
                "SELECT pg_notify(\(DatabaseSchema.channel), \(announce(.overlay(plugin: plugin, entity: entity))))", logger: logger)
            return overlay
        }, committed: { remember($0, plugin: plugin, entity: entity) })
    }

    /// Re-reads one entity's overlay from the database.
    ///
    /// - Parameters:
    ///   - plugin: the plugin whose entity it is.
    ///   - entity: the entity's name.
    func synchronize(plugin: String, entity: String) async throws {
        try await session.run { connection in
            let rows = try await connection.query(
                "SELECT overlay FROM catalog_overlays WHERE plugin = \(plugin) AND entity = \(entity)", logger: session.logger)
            var overlay = EntityOverlay()
            for try await text in rows.decode(String.self) { overlay = try Self.decode(text, plugin: plugin, entity: entity) }
            remember(overlay, plugin: plugin, entity: entity)
        }
    }

    /// Re-reads every overlay from the database and replaces the copy in memory at once.
    func synchronize() async throws {
        try await session.run { connection in
            let rows = try await connection.query("SELECT plugin, entity, overlay FROM catalog_overlays", logger: session.logger)
            var all: [String: [String: EntityOverlay]] = [:]
            for try await (plugin, entity, text) in rows.decode((String, String, String).self) {
                let overlay = try Self.decode(text, plugin: plugin, entity: entity)
                if !overlay.isEmpty { all[plugin, default: [:]][entity] = overlay }
            }
            entries.withLock { $0 = all }
        }
    }

    /// Copies overlays into the database, leaving alone any entity that already has one there.
    ///
    /// - Parameter overlays: by plugin, then entity.
    /// - Returns: how many were copied and how many were left alone.
    func importOverlays(_ overlays: [String: [String: EntityOverlay]]) async throws -> (copied: Int, kept: Int) {
        let counts = try await session.transaction { connection in
            var (copied, kept) = (0, 0)
            for (plugin, entities) in overlays.sorted(by: { $0.key < $1.key }) {
                for (entity, overlay) in entities.sorted(by: { $0.key < $1.key }) where !overlay.isEmpty {
                    let text = String(decoding: try EntityOverlay.encoder.encode(overlay), as: UTF8.self)
                    let rows = try await connection.query(
                        "INSERT INTO catalog_overlays (plugin, entity, overlay) VALUES (\(plugin), \(entity), \(text)) ON CONFLICT DO NOTHING RETURNING entity",
                        logger: session.logger)
                    if try await rows.collect().isEmpty { kept += 1 } else { copied += 1 }
                }
            }
            if copied > 0 { try await connection.query("SELECT pg_notify(\(DatabaseSchema.channel), \(announce(.overlays)))", logger: session.logger) }
            return (copied, kept)
        }
        try await synchronize()
        return counts
    }

    private func remember(_ overlay: EntityOverlay, plugin: String, entity: String) {
        entries.withLock { entries in
            entries[plugin, default: [:]][entity] = overlay.isEmpty ? nil : overlay
            if entries[plugin]?.isEmpty == true { entries[plugin] = nil }
        }
    }

    private static func decode(_ text: String, plugin: String, entity: String) throws -> EntityOverlay {
        do {
            return try EntityOverlay.decoder.decode(EntityOverlay.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("the stored overlay of \(plugin)/\(entity) cannot be read: \(error)")
        }
    }
}
