import Foundation
import Testing
@testable import CatalogTestSupport

/// Requests for plugins' routes are served on the event loop (`PluginRouteHandler`), the rest
/// by Hummingbird; on one connection the two must never answer out of turn, and the event
/// loop's answers must be what Hummingbird's would be.
@Suite("Plugin routes on the event loop")
struct PluginRouteHandlerTests {
    static let base = "/api/order_catalog/v1"

    private func server(startedFile: String? = nil) async throws -> TestServer {
        let fixtures = try PluginFixtures("plugin-routes")
        try await fixtures.addFixture(
            "order.so", defines: ["-DFIXTURE_NAME=\"order\""] + (startedFile.map { ["-DFIXTURE_STARTED_FILE=\"\($0)\""] } ?? []))
        return try await TestServer.start(pluginsDirectory: fixtures.directory)
    }

    /// Waits until `condition` holds, for at most 20 seconds.
    private func eventually(_ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// A slow plugin route first, then the framework's and the plugin's routes in turn, all
    /// sent at once: the answers come in the order asked, the slow one first.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try await server()
        let port = server.port
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\nX-Request-Id: first-one\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(Self.base)/nothing HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed()
        }
        let responses = RawResponse.parseAll(data)
        try #require(responses.count == 6, "\(String(decoding: data, as: UTF8.self))")
        let bodies = responses.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(responses.map(\.status) == [200, 200, 200, 404, 200, 200])
        #expect(bodies[0] == #"{"pong":"order"}"# && bodies[2] == bodies[0] && bodies[4] == bodies[0], "\(bodies)")
        #expect(bodies[1].contains("\"status\"") && bodies[5].contains("\"status\""), "\(bodies)")
        #expect(bodies[3].contains("no route for GET \(Self.base)/nothing"), "\(bodies[3])")
        #expect(closed, "the connection ends after the request that asks it to")
        // Every answer carries what the server adds to any response.
        #expect(responses[0].header("x-request-id") == ["first-one"])
        for response in responses {
            #expect(response.header("server") == ["catalog-server"], "\(response.headers)")
            #expect(response.header("date").first?.hasSuffix(" GMT") == true, "\(response.headers)")
            #expect(response.header("x-request-id").count == 1, "\(response.headers)")
            #expect(response.header("content-type") == ["application/json"], "\(response.headers)")
        }
        try await server.stop()
    }

    /// A plugin route that follows an answer of Hummingbird's is taken by the event loop, and
    /// Hummingbird answers again behind it.
    @Test func requestsAfterHummingbirdsAnswers() async throws {
        let server = try await server()
        let port = server.port
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.3)  // answered by now
            try connection.send(
                "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed()
        }
        let responses = RawResponse.parseAll(data)
        try #require(responses.count == 4, "\(String(decoding: data, as: UTF8.self))")
        let bodies = responses.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(responses.map(\.status) == [200, 200, 200, 200])
        #expect(bodies[1] == #"{"pong":"order"}"# && bodies[3] == bodies[1] && bodies[2].contains("\"status\""), "\(bodies)")
        #expect(closed)
        try await server.stop()
    }

    /// Thousands of requests answered at once (no route), pipelined behind a slow one and held
    /// while it is answered, are each answered, in order.
    @Test func deepPipelinesOfImmediateAnswers() async throws {
        let server = try await server()
        let port = server.port
        let count = 1000
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\n\r\n"
                    + String(repeating: "GET \(Self.base)/nothing HTTP/1.1\r\nHost: t\r\n\r\n", count: count)
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed(timeout: 30)
        }
        let statuses = RawResponse.parseAll(data).map(\.status)
        #expect(statuses == [200] + Array(repeating: 404, count: count) + [200])
        #expect(closed)
        try await server.stop()
    }

    /// A client that half-closes its side after its requests still gets every answer.
    @Test func anAnswerReachesAClientThatClosedItsSide() async throws {
        let server = try await server()
        let port = server.port
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send("GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\n\r\n")
            shutdown(connection.descriptor, Int32(SHUT_WR))
            return connection.readUntilClosed()
        }
        #expect(RawResponse.parseAll(data).map(\.status) == [200], "\(String(decoding: data, as: UTF8.self))")
        #expect(closed)
        // Several, held behind the slow one: one answered at once (404) does not end the rest.
        let (more, allClosed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\n\r\n" + "GET \(Self.base)/nothing HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n" + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\n\r\n")
            shutdown(connection.descriptor, Int32(SHUT_WR))
            return connection.readUntilClosed()
        }
        #expect(RawResponse.parseAll(more).map(\.status) == [200, 404, 200, 200], "\(String(decoding: more, as: UTF8.self))")
        #expect(allClosed)
        try await server.stop()
    }

    /// A client that sends requests and reads no answer has at most a few answered ahead: the
    /// next request is taken only once the answer before it has been written to the socket.
    @Test func aClientThatDoesNotReadIsNotAnsweredAhead() async throws {
        let fixtures = try PluginFixtures("plugin-routes-lazy")
        try await fixtures.addHostile("lazy.so", defines: ["-DHOSTILE_NAME=\"lazy\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let port = server.port
        // 40 answers of 2 MiB each; the socket's buffers hold a few.
        var connection: RawConnection? = try RawConnection(port: port)
        try connection?.send(String(repeating: "GET /api/lazy_catalog/v1/huge HTTP/1.1\r\nHost: t\r\n\r\n", count: 40))
        func calls() async throws -> Double {
            String(decoding: try await server.get("/metrics").body, as: UTF8.self).split(separator: "\n")
                .filter { $0.hasPrefix("catalog_plugin_calls_total{") && $0.contains("plugin=\"lazy\"") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
                .reduce(0, +)
        }
        try await eventually { try await calls() >= 1 }
        try await Task.sleep(for: .seconds(1))  // time enough to answer all 40 ahead, were they answered ahead
        let made = try await calls()
        #expect(made >= 1 && made <= 12, "answers made for a client that reads none: \(made)")
        connection = nil  // closed: the answer being written fails, and the server can stop
        try await server.stop()
    }

    /// A body over the limit is answered 413 once it has been read, and the connection serves
    /// the next request; a request with no route is answered 404 without its body being kept;
    /// a plugin route that asks to close the connection closes it.
    @Test func bodiesAreHandedOverWithinTheLimit() async throws {
        let server = try await server()
        let port = server.port
        let tooLarge = 4 * 1024 * 1024 + 1
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "POST \(Self.base)/echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(tooLarge)\r\n\r\n" + String(repeating: "a", count: tooLarge)
                    + "POST \(Self.base)/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nContent-Length: \(tooLarge)\r\n\r\n" + String(repeating: "a", count: tooLarge)
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed()
        }
        let responses = RawResponse.parseAll(data)
        try #require(responses.count == 4, "\(String(decoding: data, as: UTF8.self))")
        #expect(responses.map(\.status) == [413, 200, 404, 200])
        #expect(String(decoding: responses[0].body, as: UTF8.self).contains("request body exceeds 4194304 bytes"))
        #expect(String(decoding: responses[1].body, as: UTF8.self) == #"{"bytes":5}"#)
        #expect(String(decoding: responses[2].body, as: UTF8.self).contains("no route for POST"))
        #expect(closed)
        try await server.stop()
    }

    /// A request with no route, or whose body passes the limit, is answered at once, before the
    /// rest of its body is sent; the rest is dropped when it comes.
    @Test func refusalsComeBeforeTheBody() async throws {
        let server = try await server()
        let port = server.port
        let (early, late, closed) = try await onThread { () -> ([Int], [Int], Bool) in
            let connection = try RawConnection(port: port)
            try connection.send("POST \(Self.base)/nothing HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n")
            let early = connection.readResponses(1).map(\.status)
            try connection.send("0123456789")
            let limit = 4 * 1024 * 1024
            try connection.send("POST \(Self.base)/echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(limit + 10)\r\n\r\n" + String(repeating: "a", count: limit + 1))
            let late = connection.readResponses(1).map(\.status)
            try connection.send("aaaaaaaaa" + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let (rest, closed) = connection.readUntilClosed()
            return (early, late + RawResponse.parseAll(rest).map(\.status), closed)
        }
        #expect(early == [404], "no route: answered from the head")
        #expect(late == [413, 200], "over the limit: answered once passed; the connection goes on")
        #expect(closed)
        try await server.stop()
    }

    /// A graceful shutdown waits for the answer of a plugin route in flight, then closes the
    /// connection.
    @Test func shutdownWaitsForTheAnswerInFlight() async throws {
        let started = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-server-tests-slow-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: started) }
        let server = try await server(startedFile: started)
        let port = server.port
        let connection = try RawConnection(port: port)
        try connection.send("GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\n\r\n")
        try await eventually { FileManager.default.fileExists(atPath: started) }  // with the plugin
        let stopping = Task { try await server.stop() }
        let (data, closed) = try await onThread { connection.readUntilClosed() }
        try await stopping.value
        let responses = RawResponse.parseAll(data)
        #expect(responses.map(\.status) == [200], "\(String(decoding: data, as: UTF8.self))")
        #expect(closed, "closed after the answer")
    }
}
