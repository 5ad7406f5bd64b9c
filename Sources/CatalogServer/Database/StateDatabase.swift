import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The PostgreSQL database through which several replicas share their state: the managed
/// configuration layer, the entity overlays and the refresh rate limit.
///
/// ```swift
/// let database = try await StateDatabase.open(url: url, stateDirectory: "./state", logger: logger)
/// let stores = StateStores(database: database)
/// ```
///
/// Each replica keeps what it serves in memory and in its state directory, so reads never
/// wait for the database and go on while it is down. It follows the others' changes by
/// LISTEN on ``DatabaseSchema/channel``; after every (re)connection it re-reads everything
/// before it reports itself connected, so a notification missed while disconnected is never
/// lost, and it re-reads every reconcile interval as a backstop.
public final class StateDatabase: Sendable {
    /// Where it is; its description hides the password.
    public let url: DatabaseURL
    /// The managed configuration layer.
    public let configuration: PostgresConfigStore
    /// The entity overlays.
    public let overlays: PostgresOverlayStore
    let session: DatabaseSession
    /// This server's name in its announcements, so it does not repeat its own refreshes.
    let replica: String
    private let logger: Logger
    private let state = Mutex<DatabaseStatus>(.unavailable(reason: "not connected yet", since: Date()))

    /// Whether this server is connected to the database and following its changes.
    public var status: DatabaseStatus { state.withLock { $0 } }

    /// Whether this server has the managed layer to serve: read from the database, or the copy
    /// its last run left. A server started with an empty state directory while the database is
    /// out of reach has not, and is not ready.
    public var hasState: Bool { configuration.hasVersion }

    private init(url: DatabaseURL, stateDirectory: String, logger: Logger) throws {
        var name = [UInt8](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        let replica = "\(String(decoding: name.prefix { $0 != 0 }, as: UTF8.self))/\(getpid())/\(UInt32.random(in: 0...UInt32.max))"
        let session = try DatabaseSession(url: url, logger: logger)
        let announce: @Sendable (StateChange) -> String = { $0.payload(replica: replica) }
        self.url = url
        self.replica = replica
        self.session = session
        self.logger = logger
        self.configuration = try PostgresConfigStore(session: session, stateDirectory: stateDirectory, announce: announce)
        self.overlays = PostgresOverlayStore(session: session, announce: announce)
    }

    /// Connects, creates or migrates the schema and reads the shared state.
    ///
    /// When the database cannot be reached, the server starts anyway from the copy of its last
    /// run in `stateDirectory` (``status`` says so) and catches up once the database answers.
    ///
    /// - Parameters:
    ///   - url: the database.
    ///   - stateDirectory: where this server keeps its copy of the managed layer.
    ///   - logger: where connection changes are reported.
    /// - Throws: ``StoreError/database(_:)`` for a schema newer than this server's, or a
    ///   stored state that cannot be read; ``DatabaseURLError`` for TLS settings that cannot be used.
    public static func open(url: DatabaseURL, stateDirectory: String, logger: Logger) async throws -> StateDatabase {
        let database = try StateDatabase(url: url, stateDirectory: stateDirectory, logger: logger)
        do {
            try await database.catchUp()
            database.state.withLock { $0 = .connected }
            logger.info("state database \(url): connected")
        } catch StoreError.unavailable(let reason) {
            logger.warning(
                "state database \(url) is unavailable at start-up (\(reason)): serving the copy in \(database.configuration.path), catching up once it answers")
            database.state.withLock { $0 = .unavailable(reason: reason, since: Date()) }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Follows the other replicas' changes until the task is cancelled: `handle` hears of a
    /// new configuration version once the copy is written, and of refreshes to repeat here.
    ///
    /// - Parameters:
    ///   - backstop: how often to re-read everything even without a notification; `nil` for never.
    ///   - handle: what the server does about a change (``StateChange/configuration`` or ``StateChange/refresh(plugin:source:)``).
    func follow(backstop: Duration?, _ handle: @escaping @Sendable (StateChange) async -> Void) async {
        await withDiscardingTaskGroup { group in
            if let backstop {
                group.addTask {
                    while (try? await Task.sleep(for: backstop)) != nil {
                        do {
                            if try await self.catchUp() { await handle(.configuration) }
                        } catch {
                            self.logger.warning("state database: the periodic re-read failed: \(error)")
                        }
                    }
                }
            }
            group.addTask { await self.listen(handle) }
        }
    }

    /// Announces a change that is not stored (a refresh) to the other replicas.
    func announce(_ change: StateChange) async {
        do {
            _ = try await session.run { connection in
                try await connection.query("SELECT pg_notify(\(DatabaseSchema.channel), \(change.payload(replica: replica)))", logger: session.logger)
            }
        } catch {
            logger.warning("state database: could not tell the other replicas of \(change): \(error)")
        }
    }

    /// Closes the connection of the management API's operations.
    public func close() async {
        await session.close()
    }

    // MARK: Following

    /// Migrates once, then re-reads the managed layer and every overlay.
    ///
    /// - Returns: whether the configuration version in force changed.
    @discardableResult
    func catchUp() async throws -> Bool {
        if !session.schemaChecked {
            let before = try await DatabaseSchema.migrate(session, initialContent: PostgresConfigStore.initialContent)
            if before < DatabaseSchema.version { logger.notice("state database \(url): schema migrated from version \(before) to \(DatabaseSchema.version)") }
        }
        let changed = try await configuration.synchronize()
        try await overlays.synchronize()
        return changed
    }

    /// LISTENs on a connection of its own, reconnecting with backoff (0.1 s doubling to 5 s).
    private func listen(_ handle: @escaping @Sendable (StateChange) async -> Void) async {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let connection = try await session.connect()
                do {
                    try await listen(on: connection, handle, resetting: &backoff)
                } catch {
                    try? await connection.close()  // awaited: the connection must be closed before it goes
                    throw error
                }
                try? await connection.close()
                throw StoreError.unavailable("the database closed the connection")
            } catch {
                guard !Task.isCancelled else { return }
                noteUnavailable(DatabaseSession.storeError(error, timedOut: nil))
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// Listens on `connection` until it closes, the heartbeat fails or the task is cancelled.
    private func listen(
        on connection: PostgresConnection, _ handle: @escaping @Sendable (StateChange) async -> Void, resetting backoff: inout Duration
    ) async throws {
        try await withTaskCancellationHandler {
            try await connection.listen(on: DatabaseSchema.channel) { notifications in
                // Listening before re-reading: a change committed meanwhile is announced too.
                if try await catchUp() { await handle(.configuration) }
                noteConnected()
                backoff = .milliseconds(100)
                // Whichever ends first ends listening: the notifications (the connection
                // closed) or the heartbeat (the database stopped answering).
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await notification in notifications {
                            // Its own stored changes too: if its connection broke while committing,
                            // this is how it learns the change did land. Re-reading is idempotent.
                            guard let (replica, change) = StateChange.parse(notification.payload) else { continue }
                            if replica == self.replica, case .refresh = change { continue }
                            await self.apply(change, handle)
                        }
                    }
                    group.addTask { try await self.heartbeat(connection) }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } onCancel: {
            connection.close().whenComplete { _ in }
        }
    }

    /// Asks the listening connection `SELECT 1` every ``heartbeatInterval``; no answer within
    /// the session's deadline closes it, so a database that went away without closing the
    /// connection (a network partition) is noticed and the connection made anew.
    private func heartbeat(_ connection: PostgresConnection) async throws {
        while true {
            try await Task.sleep(for: Self.heartbeatInterval)
            let watchdog = Task { [deadline = session.deadline] in
                try await Task.sleep(for: deadline)
                connection.close().whenComplete { _ in }
            }
            defer { watchdog.cancel() }
            do {
                try await connection.query("SELECT 1", logger: session.logger)
            } catch {
                connection.close().whenComplete { _ in }
                throw error
            }
        }
    }

    /// How often the listening connection is checked.
    static let heartbeatInterval = Duration.seconds(10)

    private func apply(_ change: StateChange, _ handle: @Sendable (StateChange) async -> Void) async {
        do {
            switch change {
            case .configuration:
                if try await configuration.synchronize() { await handle(.configuration) }
            case .overlay(let plugin, let entity):
                try await overlays.synchronize(plugin: plugin, entity: entity)
            case .overlays:
                try await overlays.synchronize()
            case .refresh:
                await handle(change)
            }
        } catch {
            logger.warning("state database: could not follow \(change): \(error); the next re-read catches up")
        }
    }

    private func noteConnected() {
        let previous = state.withLock { state in
            defer { state = .connected }
            return state
        }
        if case .unavailable(let reason, let since) = previous {
            logger.notice("state database \(url): connected again after \(Int(Date().timeIntervalSince(since)))s (\(reason)); caught up")
        }
    }

    private func noteUnavailable(_ error: any Error) {
        let reason = (error as? StoreError).map { if case .unavailable(let reason) = $0 { reason } else { "\($0)" } } ?? "\(error)"
        let wasAvailable = state.withLock { state in
            if case .unavailable = state { return false }
            state = .unavailable(reason: reason, since: Date())
            return true
        }
        if wasAvailable {
            logger.error("state database \(url) is unavailable (\(reason)): serving what was read last, management writes answer 503, reconnecting")
        }
    }
}
