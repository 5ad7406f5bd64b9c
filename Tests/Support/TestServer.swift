import CatalogJSON
import CatalogServer
import Foundation
import Logging
import ServiceLifecycle
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real server, in process, listening on a free loopback port.
struct TestServer {
    let port: Int
    let server: CatalogServer
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts a server and waits until its initial plugin load is done.
    static func start(
        pluginsDirectory: URL, sources: [String] = [], strictReadiness: Bool = false,
        deadlines: CallDeadlines = CallDeadlines(), trust: TrustSettings = TrustSettings(), stateDirectory: URL? = nil,
        reconcileInterval: Duration? = .seconds(30), configure: (inout ServerSettings) -> Void = { _ in }
    ) async throws -> TestServer {
        var logger = Logger(label: "test-server")
        logger.logLevel = .warning
        let stores = try stateDirectory.map { try StateStores.files(in: $0.path) }
        var settings = ServerSettings(
            host: "127.0.0.1", port: 0, pluginsDirectory: pluginsDirectory.path,
            configuration: try SourcesConfiguration.load(paths: sources + (stores.map { [$0.configuration.path] } ?? [])),
            strictReadiness: strictReadiness, deadlines: deadlines, trust: trust, reconcileInterval: reconcileInterval, stores: stores)
        configure(&settings)
        let server = CatalogServer(settings: settings, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = server.makeApplication { port in portContinuation.yield(port) }
        let group = ServiceGroup(services: [application], logger: logger)
        let task = Task { try await group.run() }
        var port: Int?
        for await bound in ports {
            port = bound
            break
        }
        guard let port else { throw CommandFailure(description: "server did not start") }
        let running = TestServer(port: port, server: server, group: group, task: task)
        try await running.waitForInitialLoad()
        return running
    }

    /// Shuts the server down gracefully, as SIGTERM does, and waits for it.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await HTTPResult.fetch(URL(string: "http://127.0.0.1:\(port)\(path)")!, headers: headers)
    }

    /// Sends `body` as JSON with `method` and extra `headers`.
    func send(_ method: String, _ path: String, _ body: JSONValue? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await HTTPResult.fetch(
            URL(string: "http://127.0.0.1:\(port)\(path)")!, method: method, body: try body.map { try JSONCoding.encode($0) },
            headers: headers)
    }

    private func waitForInitialLoad() async throws {
        for _ in 0..<600 {
            let readiness = try await get("/readyz")
            if readiness.json["components"]?["initial_load"]?["status"] == "complete" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandFailure(description: "initial load did not complete")
    }
}

/// A response as the tests look at it.
struct HTTPResult {
    var status: Int
    var contentType: String?
    var body: Data
    var headers: [String: String] = [:]

    /// The body as JSON; `.null` when it is not JSON.
    var json: JSONValue { (try? JSONCoding.decode(body)) ?? .null }

    /// A client that does not queue requests behind others to the same server.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 20
        return URLSession(configuration: configuration)
    }()

    static func fetch(_ url: URL, method: String = "GET", body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPResult {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: data, headers: fields)
    }
}
