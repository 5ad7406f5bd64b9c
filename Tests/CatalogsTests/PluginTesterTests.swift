import CatalogJSON
import CatalogPluginSDK
@testable import CatalogPluginSDKTesting
import Testing

/// The tester matches routes and decodes parameters as the host does.
@Suite("PluginTester")
struct PluginTesterTests {
    @Test func routesMatchAsTheHostMatchesThem() {
        #expect(PluginTester.match("/things/a", pattern: "/things/{name}") == ["name": "a"])
        #expect(PluginTester.match("/things/a/b", pattern: "/things/{name}") == nil)
        #expect(PluginTester.match("/things/a/b", pattern: "/things/{name...}") == ["name": "a/b"])
        #expect(PluginTester.match("/things", pattern: "/things/{name...}") == nil)
        #expect(PluginTester.match("/s/x/models/a/b", pattern: "/s/{id}/models/{name...}") == ["id": "x", "name": "a/b"])
        #expect(PluginTester.match("/things", pattern: "/things") == [:])
        #expect(PluginTester.match("/other", pattern: "/things") == nil)
    }

    /// A plugin whose routes overlap, declared from the least specific: the router prefers a
    /// literal segment to `{name}`, and `{name}` to `{name...}`, whatever the order.
    final class Overlapping: CatalogPlugin {
        let name = "overlap", version = "v1", description = "overlapping routes"
        func initialize(_ context: PluginContext) async throws {}
        func registerRoutes(_ routes: inout Routes) {
            routes.get("/things/{rest...}") { request in .json(["route": "rest", "value": .string(try request.parameter("rest"))] as JSONValue) }
            routes.get("/things/{name}") { request in .json(["route": "name", "value": .string(try request.parameter("name"))] as JSONValue) }
            routes.get("/things/special") { _ in .json(["route": "special"] as JSONValue) }
        }
    }

    @Test func theMostSpecificRouteWins() async throws {
        let tester = try await PluginTester(Overlapping())
        #expect(try await tester.request("/things/special").json()["route"] == "special")
        #expect(try await tester.request("/things/a%2Fb").json() == ["route": "name", "value": "a/b"], "one segment, decoded")
        #expect(try await tester.request("/things/a/b").json() == ["route": "rest", "value": "a/b"])
        #expect(await tester.request("/things/%ZZ").status == 400)
        #expect(await tester.request("/elsewhere").status == 404)
        await tester.stop()
    }
}
