import Foundation

/// A real PostgreSQL server from Debian's packages, created by a test in a temporary
/// directory and run as an unprivileged user (PostgreSQL refuses to run as root).
///
/// ```swift
/// let database = try await PostgresTestServer.start("replicas")
/// defer { database.destroy() }
/// // catalog-server --database-url database.url …
/// try await database.stop()      // an outage
/// try await database.restart()
/// ```
final class PostgresTestServer: Sendable {
    /// The directory of the server's programs (`initdb`, `pg_ctl`), `nil` when PostgreSQL is not installed.
    static let binaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last, FileManager.default.fileExists(atPath: "\(root)/\(newest)/bin/initdb") else { return nil }
        return "\(root)/\(newest)/bin"
    }()

    /// Whether the database tests run: where PostgreSQL is installed, and always in CI, where
    /// its absence must fail them rather than skip them (`.ci/run` installs it).
    static let enabled = binaries != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    let directory: URL
    let port: Int
    let password: String
    /// `postgres://catalog:PASSWORD@127.0.0.1:PORT/postgres?sslmode=disable`.
    var url: String { "postgres://catalog:\(password)@127.0.0.1:\(port)/postgres?sslmode=disable" }
    private var data: String { directory.appendingPathComponent("data").path }

    private init(directory: URL, port: Int, password: String) {
        (self.directory, self.port, self.password) = (directory, port, password)
    }

    /// Creates a cluster with a user `catalog` (password authentication) and starts it on a free port.
    static func start(_ label: String) async throws -> PostgresTestServer {
        guard binaries != nil else {
            throw CommandFailure(description: "PostgreSQL is not installed (apt-get install postgresql; .ci/run does)")
        }
        let directory = URL(fileURLWithPath: "/tmp/catalog-pg-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let password = "pw-\(UUID().uuidString.prefix(12))"
        try Data(password.utf8).write(to: directory.appendingPathComponent("password"))
        let server = PostgresTestServer(directory: directory, port: try freePort(), password: password)
        if geteuid() == 0 {
            try await run(["chown", "-R", "postgres:postgres", directory.path])
        }
        try await server.asServerUser([
            "initdb", "-D", server.data, "-U", "catalog", "--pwfile=\(directory.appendingPathComponent("password").path)",
            "-A", "scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions",
        ])
        try await server.restart()
        return server
    }

    /// Starts the server (again), waiting until it accepts connections.
    func restart() async throws {
        try await asServerUser([
            "pg_ctl", "-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60", "-o",
            "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60", "start",
        ])
    }

    /// Stops the server the way an outage does: every connection is cut at once.
    func stop() async throws {
        try await asServerUser(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
    }

    /// Stops every process of the server where it stands (SIGSTOP), closing nothing: the
    /// database keeps its connections and accepts new ones but answers nothing, as behind a
    /// network partition.
    func freeze() async throws {
        let postmaster = try postmasterID()
        _ = try await runCommand(["pkill", "-STOP", "-P", postmaster])
        try await Self.run(["kill", "-STOP", postmaster])
    }

    /// Lets a frozen server go on.
    func thaw() async throws {
        let postmaster = try postmasterID()
        try await Self.run(["kill", "-CONT", postmaster])
        _ = try await runCommand(["pkill", "-CONT", "-P", postmaster])
    }

    private func postmasterID() throws -> String {
        let file = try String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8)
        return String(file.prefix { $0 != "\n" })
    }

    /// Stops the server, if it runs, and deletes its files.
    func destroy() async {
        try? await thaw()
        _ = try? await asServerUser(["pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs an SQL statement with psql as the `catalog` user and returns its unaligned output.
    func sql(_ statement: String) async throws -> String {
        let result = try await runCommand([
            "env", "PGPASSWORD=\(password)", "psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", "catalog", "-d", "postgres",
            "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statement,
        ])
        guard result.status == 0 else { throw CommandFailure(description: "psql failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func asServerUser(_ arguments: [String]) async throws {
        var command = arguments
        command[0] = "\(Self.binaries!)/\(command[0])"
        try await Self.run(geteuid() == 0 ? ["runuser", "-u", "postgres", "--"] + command : command, log: directory.appendingPathComponent("commands.log"))
    }

    /// Runs a command with its output appended to `log` and no other descriptor of this
    /// process: the server that `pg_ctl start` leaves running would otherwise hold them open.
    private static func run(_ arguments: [String], log: URL) async throws {
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let output = try FileHandle(forWritingTo: log)
                    defer { try? output.close() }
                    try output.seekToEnd()
                    let process = Process()
                    // Foundation learns that a child ended when every copy of a socket it gives the child
                    // is closed; the server `pg_ctl start` leaves running must not keep one.
                    process.executableURL = URL(fileURLWithPath: "/bin/bash")
                    process.arguments = [
                        "-c", #"for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null; exec "$@""#,
                        "run",
                    ] + arguments
                    process.standardOutput = output
                    process.standardError = output
                    process.standardInput = FileHandle.nullDevice
                    try process.run()
                    process.waitUntilExit()
                    return process.terminationStatus
                })
            }
        }
        guard status == 0 else {
            let logged = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw CommandFailure(description: "\(arguments.joined(separator: " ")) exited with \(status):\n\(logged)")
        }
    }

    /// Runs a command and waits for it, or throws with its output.
    private static func run(_ arguments: [String]) async throws {
        let result = try await runCommand(arguments)
        guard result.status == 0 else { throw CommandFailure(description: "\(arguments.joined(separator: " ")) exited with \(result.status): \(result.output)") }
    }

    /// A TCP port nobody listens on now.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw CommandFailure(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
