import CatalogJSON
import CatalogPluginSDK
@testable import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// Hostile clients: inputs that drive recursion, connections that never finish, heads that
/// are too large. The server answers each with a bounded cost and a JSON error, and keeps serving.
@Suite("Hostile clients", .timeLimit(.minutes(3)))
struct HostileClientTests {
    static let list = "/api/mcp_catalog/v1alpha1/mcpservers"

    static func startMCP(_ label: String, configure: (inout ServerSettings) -> Void = { _ in }) async throws -> TestServer {
        let fixtures = try PluginFixtures(label)
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        let sources = try HostilePluginTests.sources(HostilePluginTests.mcpSource, in: fixtures)
        return try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources], stateDirectory: fixtures.scratch.appendingPathComponent("state"),
            configure: configure)
    }

    /// `query` as a query-string value; parentheses stay as they are, so that 36 000 of them
    /// fit within the request-head limit.
    static func encoded(_ query: String) -> String {
        query.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "()")))!
    }

    @Test func deeplyNestedInputIsRefusedWithTheLimit() async throws {
        let server = try await Self.startMCP("hostile-nesting")
        for query in [
            String(repeating: "(", count: 36_000),
            String(repeating: "(", count: 5_000) + "name = 'x'" + String(repeating: ")", count: 5_000),
            String(repeating: "NOT ", count: 3_000) + "name = 'x'",
        ] {
            let answer = try await server.get(Self.list + "?filterQuery=" + Self.encoded(query))
            #expect(answer.status == 400)
            let message = answer.json["error"]?.stringValue ?? ""
            #expect(message.contains("limit"), "\(message.prefix(200))")
        }
        let balanced = String(repeating: "(", count: 10) + "name = 'jira-mcp-server'" + String(repeating: ")", count: 10)
        #expect(try await server.get(Self.list + "?filterQuery=" + Self.encoded(balanced)).json["size"] == 1, "nesting within the limit works")

        let conditions = Array(repeating: "name = 'x'", count: FilterQuery.Limits.maximumConditions + 1).joined(separator: " OR ")
        #expect(try await server.get(Self.list + "?filterQuery=" + Self.encoded(conditions)).status == 400)
        let pattern = "name LIKE '" + String(repeating: "%a", count: FilterQuery.Limits.maximumPatternLength) + "'"
        let long = try await server.get(Self.list + "?filterQuery=" + Self.encoded(pattern))
        #expect(long.status == 400)
        #expect(long.json["error"]?.stringValue?.contains("pattern") == true)

        // A page token and a JSON body nested deeper than the JSON limit.
        let deepToken = Data((String(repeating: "[", count: 50_000)).utf8).base64EncodedString()
        #expect(try await server.get(Self.list + "?pageToken=" + Self.encoded(deepToken)).status == 400)
        let deepBody = Data(String(repeating: "[", count: 200_000).utf8)
        let applied = try await HTTPResult.fetch(
            URL(string: "http://127.0.0.1:\(server.port)/api/mcp_catalog/v1alpha1/management/apply-source")!, method: "POST", body: deepBody)
        #expect(applied.status == 400)
        #expect(applied.json["error"]?.stringValue?.contains("deeper than the limit of \(JSONNesting.maximumDepth) levels") == true, "\(applied.json)")
        #expect(throws: JSONNestingError.self) { try JSONNesting.check(Array(String(repeating: "{\"a\":", count: 200).utf8)) }
        #expect(try await server.get("/healthz").status == 200)
        try await server.stop()
    }

    @Test func slowAndIdleConnectionsAreClosedAndTheLimitHolds() async throws {
        let server = try await Self.startMCP("hostile-connections") { settings in
            settings.connectionLimits = ConnectionLimits(requestHeadTimeout: .seconds(2), idleTimeout: .seconds(2), maximumConnections: 8)
        }
        let port = server.port
        // Eight connections that never finish their request head fill the limit.
        let stalled = try (0..<8).map { _ in try RawConnection(port: port) }
        for connection in stalled { try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n") }
        try await Task.sleep(for: .milliseconds(500))  // accepted by now
        // A ninth waits while they hold the limit; the head timeout frees them, and it is served.
        let (early, late) = try await onThread { () -> (Data, [RawResponse]) in
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let early = connection.readUntilClosed(timeout: 0.6).data
            return (early, RawResponse.parseAll(early + connection.readUntilClosed(timeout: 8).data))
        }
        #expect(early.isEmpty, "the ninth connection waits while eight hold the limit")
        #expect(late.first?.status == 200, "a client is served once the stalled connections are closed")
        for connection in stalled {
            let closed = try await onThread { connection.readUntilClosed(timeout: 3).closed }
            #expect(closed, "a connection that never sent a complete head is closed")
        }

        // An idle keep-alive connection is closed after the idle timeout.
        let idle = try await onThread { () -> (responses: Int, closed: Bool) in
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let (data, closed) = connection.readUntilClosed(timeout: 5)
            return (RawResponse.parseAll(data).count, closed)
        }
        #expect(idle.responses == 1)
        #expect(idle.closed, "an idle keep-alive connection is closed")
        try await server.stop()
    }

    /// The idle timeout counts from the last response: a keep-alive client asking more often
    /// than that is never closed (the connection's timer, set for the first wait, finds the
    /// deadline moved and waits the rest), and is closed once it stops asking.
    @Test func theIdleTimeoutCountsFromTheLastResponse() async throws {
        let server = try await Self.startMCP("hostile-keep-alive") { settings in
            settings.connectionLimits = ConnectionLimits(requestHeadTimeout: .seconds(5), idleTimeout: .seconds(1), maximumConnections: 8)
        }
        let port = server.port
        let (answered, idleFor, closed) = try await onThread { () -> (Int, Duration, Bool) in
            let connection = try RawConnection(port: port)
            var answered = 0
            for request in 0..<6 {  // 2 s or more of requests, each 400 ms after the last answer: past the first wait's timer
                if request > 0 { Thread.sleep(forTimeInterval: 0.4) }
                try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                // Each answer waited for (a busy machine may take long), then 400 ms, under the 1 s timeout.
                answered += connection.readResponses(1).count
            }
            let idle = ContinuousClock.now
            let (_, closed) = connection.readUntilClosed(timeout: 5)
            return (answered, ContinuousClock.now - idle, closed)
        }
        #expect(answered == 6, "every request of a client that keeps asking is answered")
        #expect(closed && idleFor >= .milliseconds(500) && idleFor < .seconds(4), "closed about a second after the last answer")
        try await server.stop()
    }

    /// No wait runs while the server works on a request: a plugin that takes longer than the
    /// idle timeout still gets its answer through (the connection's timer fires meanwhile and
    /// finds nothing to wait for), and the idle timeout starts with the answer.
    @Test func aRequestSlowerThanTheIdleTimeoutIsAnswered() async throws {
        let fixtures = try PluginFixtures("hostile-slow-answer")
        let release = fixtures.scratch.appendingPathComponent("release")
        try await fixtures.addFixture("blocker.so", defines: ["-DFIXTURE_NAME=\"blocker\"", "-DFIXTURE_RELEASE_FILE=\"\(release.path)\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory) { settings in
            settings.connectionLimits = ConnectionLimits(requestHeadTimeout: .seconds(5), idleTimeout: .seconds(1), maximumConnections: 8)
        }
        let port = server.port
        let answer = Task {
            try await onThread { () -> (responses: [RawResponse], closed: Bool) in
                let connection = try RawConnection(port: port)
                try connection.send("GET /api/blocker_catalog/v1/slow HTTP/1.1\r\nHost: t\r\n\r\n")
                var received = Data()
                while RawResponse.parseAll(received).isEmpty {
                    let (data, closed) = connection.readUntilClosed(timeout: 0.2)
                    received += data
                    if closed { return (RawResponse.parseAll(received), true) }
                }
                let (_, closed) = connection.readUntilClosed(timeout: 4)
                return (RawResponse.parseAll(received), closed)
            }
        }
        try await Task.sleep(for: .milliseconds(2500))  // past the idle timeout, twice
        try Data().write(to: release)
        let (responses, closed) = try await answer.value
        #expect(responses.first?.status == 200, "the slow answer arrives")
        #expect(closed, "and the connection is closed once idle after it")
        try await server.stop()
    }

    /// A response that ends before its request body (here a 401) still leaves the connection
    /// under the idle timeout: a client that stalls the rest of the body is closed.
    @Test func aStalledBodyAfterAnEarlyAnswerIsClosed() async throws {
        let tokens = try AccessTokens(text: "admin-token-0123456789abcdef admin\n", path: "tokens")
        let server = try await Self.startMCP("hostile-early-answer") { settings in
            settings.access = AccessPolicy(tokens: tokens)
            // Long enough for the 401 to come first on a busy machine.
            settings.connectionLimits = ConnectionLimits(requestHeadTimeout: .seconds(5), idleTimeout: .seconds(3), maximumConnections: 64)
        }
        let port = server.port
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "POST /api/mcp_catalog/v1alpha1/management/refresh HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
            return connection.readUntilClosed(timeout: 15)
        }
        #expect(RawResponse.parseAll(data).first?.status == 401)
        #expect(closed, "the connection is closed once the stalled body passes the idle timeout")
        // A client that ends its input in the middle of the body gets no second answer.
        let (early, rest, restClosed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "POST /api/mcp_catalog/v1alpha1/management/refresh HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
            let early = connection.readResponses(1).map(\.status)
            shutdown(connection.descriptor, Int32(SHUT_WR))
            let (rest, closed) = connection.readUntilClosed()
            return (early, rest, closed)
        }
        #expect(early == [401])
        #expect(rest.isEmpty && restClosed, "closed without a 400 for the same request: \(String(decoding: rest, as: UTF8.self))")
        try await server.stop()
    }

    @Test func anOversizedHeadGetsAJSONError() async throws {
        let server = try await Self.startMCP("hostile-head")
        let port = server.port
        let responses = try await onThread { () -> [RawResponse] in
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n")
            return RawResponse.parseAll(connection.readUntilClosed().data)
        }
        let response = try #require(responses.first)
        #expect(response.status == 400)
        #expect(response.header("content-type") == ["application/json"])
        #expect((try? JSONCoding.decode(response.body))?["error"]?.stringValue?.contains("larger than the server accepts") == true)
        #expect((try? JSONCoding.decode(response.body))?["code"] == "400", "the error's one shape")
        #expect(response.header("x-request-id").first?.count == 32, "an id like every answer")
        let longURL = try await onThread { () -> [RawResponse] in
            let connection = try RawConnection(port: port)
            try connection.send("GET /\(String(repeating: "u", count: 100_000)) HTTP/1.1\r\nHost: t\r\n\r\n")
            return RawResponse.parseAll(connection.readUntilClosed().data)
        }
        #expect(longURL.first?.status == 400)
        #expect(longURL.first.flatMap { try? JSONCoding.decode($0.body) }?["error"] != nil)
        #expect(try await server.get("/healthz").status == 200)
        try await server.stop()
    }
}
