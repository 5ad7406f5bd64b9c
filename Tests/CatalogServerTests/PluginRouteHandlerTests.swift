import Foundation
import Testing
@testable import CatalogTestSupport

/// Requests for plugins' routes are served on the event loop (`PluginRouteHandler`), the rest
/// by Hummingbird; on one connection the two must never answer out of turn, and the event
/// loop's answers must be what Hummingbird's would be.
@Suite("Plugin routes on the event loop")
struct PluginRouteHandlerTests {
    static let base = "/api/order_catalog/v1"

    private func server() async throws -> TestServer {
        let fixtures = try PluginFixtures("plugin-routes")
        try await fixtures.addFixture("order.so", defines: ["-DFIXTURE_NAME=\"order\""])
        return try await TestServer.start(pluginsDirectory: fixtures.directory)
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

    /// A body over the limit is answered 413 once it has been read, and the connection serves
    /// the next request; a plugin route that asks to close the connection closes it.
    @Test func aBodyOverTheLimitIsRefusedAndTheConnectionGoesOn() async throws {
        let server = try await server()
        let port = server.port
        let tooLarge = 4 * 1024 * 1024 + 1
        let (data, closed) = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                "POST \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nContent-Length: \(tooLarge)\r\n\r\n" + String(repeating: "a", count: tooLarge)
                    + "POST \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
                    + "GET \(Self.base)/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return connection.readUntilClosed()
        }
        let responses = RawResponse.parseAll(data)
        try #require(responses.count == 3, "\(String(decoding: data, as: UTF8.self))")
        #expect(responses.map(\.status) == [413, 404, 200])
        #expect(String(decoding: responses[0].body, as: UTF8.self).contains("request body exceeds 4194304 bytes"))
        #expect(String(decoding: responses[1].body, as: UTF8.self).contains("no route for POST"))
        #expect(closed)
        try await server.stop()
    }

    /// A graceful shutdown waits for the answer of a plugin route in flight, then closes the
    /// connection.
    @Test func shutdownWaitsForTheAnswerInFlight() async throws {
        let server = try await server()
        let port = server.port
        let connection = try RawConnection(port: port)
        try connection.send("GET \(Self.base)/slow HTTP/1.1\r\nHost: t\r\n\r\n")
        try await Task.sleep(for: .milliseconds(300))  // with the plugin by now
        let stopping = Task { try await server.stop() }
        let (data, closed) = try await onThread { connection.readUntilClosed() }
        try await stopping.value
        let responses = RawResponse.parseAll(data)
        #expect(responses.map(\.status) == [200], "\(String(decoding: data, as: UTF8.self))")
        #expect(closed, "closed after the answer")
    }
}
