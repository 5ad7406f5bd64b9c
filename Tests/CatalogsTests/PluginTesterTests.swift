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
}
