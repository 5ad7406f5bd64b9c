import Logging
import PostgresNIO
import Synchronization

/// One connection to the database, opened when first needed and again after it broke, that
/// serves one operation at a time, each within a deadline counted from its arrival.
///
/// Management writes are rare and small, so one connection per server is enough; operations
/// queue in arrival order, and what each does with the answer (a store's copy in memory) is
/// done before the next one starts, so copies follow the database in order. A failure to reach
/// the database, or no answer within the deadline, is ``StoreError/unavailable(_:)`` and closes
/// the connection, so the next operation connects anew; a statement the database refuses is
/// ``StoreError/database(_:)``. Until the schema has been checked (``schemaChecked``), only
/// the check itself may run: a server never writes into tables it has not verified.
final class DatabaseSession: Sendable {
    /// How long one operation may take from its arrival, waiting and connecting included.
    let deadline: Duration
    private let configuration: PostgresConnection.Configuration
    /// postgres-nio's logger, at warning or above.
    let logger: Logger
    private let gate = AsyncGate()
    private let connection = Mutex<PostgresConnection?>(nil)
    private let connectionIDs = Atomic<Int>(0)
    private let checked = Atomic<Bool>(false)

    init(url: DatabaseURL, deadline: Duration = .seconds(5), logger: Logger) throws {
        self.deadline = deadline
        self.configuration = try url.connectionConfiguration(connectTimeout: min(deadline, .seconds(3)))
        var logger = logger
        logger.logLevel = max(logger.logLevel, .warning)  // postgres-nio's own lines are for debugging it
        self.logger = logger
    }

    /// Whether the schema has been created or checked; set once by ``DatabaseSchema/migrate(_:initialContent:)``.
    var schemaChecked: Bool {
        get { checked.load(ordering: .acquiring) }
        set { checked.store(newValue, ordering: .releasing) }
    }

    /// Runs `body` on the connection within the deadline.
    ///
    /// - Parameters:
    ///   - beforeSchemaCheck: whether `body` may run before the schema was checked (the check itself).
    ///   - body: the statements; it must not keep the connection, and must not call the session.
    func run<Result: Sendable>(beforeSchemaCheck: Bool = false, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        let expiry = ContinuousClock.now + deadline
        return try await gate.run {
            let timedOut = Atomic<Bool>(false)
            do {
                guard beforeSchemaCheck || schemaChecked else {
                    throw StoreError.unavailable("not connected yet: the schema has not been checked")
                }
                guard ContinuousClock.now < expiry else { throw StoreError.unavailable("no answer within \(deadline)") }
                let connection = try await open()
                let watchdog = Task {
                    try await Task.sleep(until: expiry)
                    timedOut.store(true, ordering: .relaxed)
                    connection.close().whenComplete { _ in }
                }
                defer { watchdog.cancel() }
                return try await body(connection)
            } catch {
                let failure = Self.storeError(error, timedOut: timedOut.load(ordering: .relaxed) ? deadline : nil)
                let broken = connection.withLock { $0?.isClosed ?? false }
                if broken { await drop() } else if case .unavailable = failure as? StoreError { await drop() }
                throw failure
            }
        }
    }

    /// Runs `body` in a transaction, then `committed` with its result once `COMMIT` returned,
    /// still before the next operation; rolled back when `body` throws.
    ///
    /// - Parameters:
    ///   - beforeSchemaCheck: whether it may run before the schema was checked (the check itself).
    ///   - body: the statements.
    ///   - committed: what the caller does with a committed result (its copy in memory).
    func transaction<Result: Sendable>(
        beforeSchemaCheck: Bool = false, _ body: (PostgresConnection) async throws -> Result,
        committed: (Result) throws -> Void = { _ in }
    ) async throws -> Result {
        try await run(beforeSchemaCheck: beforeSchemaCheck) { connection in
            try await connection.query("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch {
                    connection.close().whenComplete { _ in }  // a transaction must never stay open
                }
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            try committed(result)
            return result
        }
    }

    /// Opens a connection of its own, outside the session (what LISTEN needs). postgres-nio's
    /// connect timeout covers TLS, the start-up message and authentication.
    func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: nextID(), logger: logger)
        } catch {
            throw Self.storeError(error, timedOut: nil)
        }
    }

    /// Closes the session's connection.
    func close() async {
        await drop()
    }

    private func open() async throws -> PostgresConnection {
        if let open = connection.withLock({ $0 }), !open.isClosed { return open }
        let fresh = try await connect()
        connection.withLock { $0 = fresh }
        return fresh
    }

    private func drop() async {
        let old = connection.withLock { current -> PostgresConnection? in
            defer { current = nil }
            return current
        }
        try? await old?.close()
    }

    private func nextID() -> Int {
        connectionIDs.wrappingAdd(1, ordering: .relaxed).newValue
    }

    /// What a failure means to a store: the database out of reach (``StoreError/unavailable(_:)``),
    /// a statement it refused (``StoreError/database(_:)``), or the caller's own error, as it is.
    ///
    /// - Parameters:
    ///   - error: what postgres-nio, NIO or the operation threw.
    ///   - timedOut: the deadline, when it had passed.
    static func storeError(_ error: any Error, timedOut: Duration?) -> any Error {
        if let timedOut { return StoreError.unavailable("no answer within \(timedOut)") }
        switch error {
        case let error as PSQLError:
            guard error.code == .server, let server = error.serverInfo else {
                return StoreError.unavailable(describe(error))
            }
            let state = server[.sqlState] ?? ""
            let message = server[.message] ?? "no message"
            // Connection exceptions (08), operator intervention such as a shutdown (57) and
            // insufficient resources (53) pass; anything else is the statement's fault.
            if ["08", "57", "53"].contains(String(state.prefix(2))) { return StoreError.unavailable("\(message) (SQLSTATE \(state))") }
            return StoreError.database("\(message) (SQLSTATE \(state))")
        case is ChannelError, is IOError, is NIOConnectionError:
            return StoreError.unavailable("\(error)")
        case is PostgresDecodingError:
            return StoreError.database("a stored value does not have the expected type: \(String(reflecting: error))")
        default:
            return error
        }
    }

    /// A postgres-nio failure in words: its code, the server's message and the cause beneath,
    /// never the query's parameters.
    private static func describe(_ error: PSQLError) -> String {
        var parts = ["\(error.code)"]
        if let message = error.serverInfo?[.message] { parts.append(message) }
        if let underlying = error.underlying { parts.append("\(underlying)") }
        return parts.joined(separator: ": ")
    }
}
