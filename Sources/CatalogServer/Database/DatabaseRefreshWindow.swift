import Foundation
import PostgresNIO

/// The refresh rate limit of the whole cluster: one row per target in
/// `catalog_refresh_windows`, claimed with one statement against the database's clock, so a
/// refresh through any replica closes the window for all of them.
///
/// While the database cannot be reached, each server falls back to a window of its own: a
/// refresh is not a stored change, and re-reading data files needs no database.
final class DatabaseRefreshWindow: RefreshWindow {
    private let session: DatabaseSession
    private let fallback = LocalRefreshWindow()

    init(session: DatabaseSession) {
        self.session = session
    }

    func admit(_ target: String) async -> Duration? {
        let seconds = Int64(LocalRefreshWindow.window.components.seconds)
        do {
            return try await session.run { connection in
                // The row is claimed only when the window has passed; otherwise the wait is read back.
                let rows = try await connection.query(
                    """
                    INSERT INTO catalog_refresh_windows AS w (target, refreshed_at) VALUES (\(target), now())
                    ON CONFLICT (target) DO UPDATE SET refreshed_at = now()
                        WHERE w.refreshed_at <= now() - make_interval(secs => \(seconds))
                    RETURNING target
                    """, logger: session.logger)
                if try await !rows.collect().isEmpty { return nil }
                let waits = try await connection.query(
                    "SELECT extract(epoch FROM refreshed_at + make_interval(secs => \(seconds)) - now())::float8 FROM catalog_refresh_windows WHERE target = \(target)",
                    logger: session.logger)
                for try await wait in waits.decode(Double.self) { return .milliseconds(Int64(max(wait, 0.001) * 1000)) }
                return nil
            }
        } catch {
            return fallback.admit(target)
        }
    }

    func forget(_ target: String) async {
        fallback.forget(target)
        _ = try? await session.run { connection in
            try await connection.query("DELETE FROM catalog_refresh_windows WHERE target = \(target)", logger: session.logger)
        }
    }
}
