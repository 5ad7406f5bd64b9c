import Logging
import PostgresNIO
import Synchronization

/// One connection to the database, opened when first needed and again after it broke, that
/// serves one operation at a time, each within a deadline.
///
/// Management writes are rare and small, so one connection per server is enough; operations
/// queue in arrival order. A failure to reach the database, or no answer within the deadline,
/// is ``StoreError/unavailable(_:)`` and closes the connection, so the next operation connects
/// anew; a statement the database refuses is ``StoreError/database(_:)``.
final class DatabaseSession: Sendable {
    let url: DatabaseURL
    /// How long one operation may take, connecting included.
    let deadline: Duration
    private let configuration: PostgresConnection.Configuration
    /// postgres-nio's logger, at warning or above.
    let logger: Logger
    private let gate = AsyncGate()
    private let connection = Mutex<PostgresConnection?>(nil)
    private let connectionIDs = Atomic<Int>(0)

    init(url: DatabaseURL, deadline: Duration = .seconds(5), logger: Logger) throws {
        self.url = url
        self.deadline = deadline
        self.configuration = try url.connectionConfiguration(connectTimeout: min(deadline, .seconds(3)))
        var logger = logger
        logger.logLevel = max(logger.logLevel, .warning)  // postgres-nio's own lines are for debugging it
        self.logger = logger
    }

    /// Runs `body` on the connection within the deadline.
    ///
    /// - Parameter body: the statements; it must not keep the connection.
    func run<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await gate.run {
            let timedOut = Atomic<Bool>(false)
            do {
                // Connecting has a deadline of its own; the statements get a full one after it.
                let connection = try await open()
                let watchdog = Task { [deadline] in
                    try await Task.sleep(for: deadline)
                    timedOut.store(true, ordering: .relaxed)
                    try? await connection.close()
                }
                defer { watchdog.cancel() }
                return try await body(connection)
            } catch {
                let failure = Self.storeError(error, timedOut: timedOut.load(ordering: .relaxed) ? deadline : nil)
                if case .unavailable = failure as? StoreError { await drop() }
                throw failure
            }
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await run { connection in
            try await connection.query("BEGIN", logger: logger)
            let result: Result
            do {
                result = try await body(connection)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return result
        }
    }

    /// Opens a connection of its own, outside the session (what LISTEN needs), within the
    /// deadline: a server that accepts the connection but never answers the handshake does
    /// not hold the caller.
    func connect() async throws -> PostgresConnection {
        let (configuration, id, logger) = (configuration, nextID(), logger)
        let outcome = await withDeadline(deadline, onTimeout: {}) { () -> Result<PostgresConnection, any Error> in
            do {
                return .success(try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .finished(.success(let connection)): return connection
        case .finished(.failure(let error)): throw Self.storeError(error, timedOut: nil)
        case .timedOut: throw Self.storeError(CancellationError(), timedOut: deadline)
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
