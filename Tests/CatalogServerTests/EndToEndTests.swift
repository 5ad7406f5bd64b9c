import CatalogJSON
import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// The real server on a loopback port with the shipped plugins and every broken fixture.
@Suite("End to end: shipped plugins beside broken ones")
struct EndToEndTests {
    static let sampleData = TestPaths.packageRoot.appendingPathComponent("Sources/catalog-server/Defaults/data/knowledge-sources.yaml").path

    /// A sources.yaml for the knowledge plugin reading the shipped sample data.
    static func writeSources(in directory: URL, dataPath: String = sampleData) throws -> String {
        let file = directory.appendingPathComponent("sources.yaml")
        try Data(
            """
            apiVersion: catalog/v1alpha1
            kind: CatalogSources
            catalogs:
              knowledge:
                sources:
                  - id: sample
                    name: Sample
                    type: yaml
                    properties: {yamlCatalogPath: "\(dataPath)"}
            """.utf8
        ).write(to: file)
        return file.path
    }

    /// Shipped plugins plus one fixture for every way a plugin can fail to load.
    static func pluginDirectory() async throws -> PluginFixtures {
        let fixtures = try PluginFixtures("e2e")
        try await fixtures.addKnowledgePlugin()
        try await fixtures.addHelloPlugin()
        try await fixtures.addNotAnELFFile("notes.so")
        try await fixtures.addFixture("nosymbol.so", defines: ["-DFIXTURE_NO_SYMBOL"])
        try await fixtures.addFixtureWithMissingDependency("needs-dependency.so")
        try await fixtures.addFixture("future.so", defines: ["-DFIXTURE_ABI_MAJOR=99"])
        try await fixtures.addFixture("refuses.so", defines: ["-DFIXTURE_REGISTER_FAILS"])
        try await fixtures.addFixture("failing-init.so", defines: ["-DFIXTURE_NAME=\"failing-init\"", "-DFIXTURE_INIT_FAILS"])
        try await fixtures.addFixture("twin.so", defines: ["-DFIXTURE_NAME=\"twin\""])
        try await fixtures.addFixture("zz-duplicate-twin.so", defines: ["-DFIXTURE_NAME=\"twin\""])
        return fixtures
    }

    @Test func servesTheGoodPluginsAndReportsEveryBrokenOne() async throws {
        let fixtures = try await Self.pluginDirectory()
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [try Self.writeSources(in: fixtures.scratch)])

        let listing = try await server.get("/api/plugins")
        #expect(listing.status == 200)
        #expect(listing.contentType == "application/json")
        let plugins = try #require(listing.json["plugins"]?.arrayValue)
        #expect(plugins.compactMap { $0["name"]?.stringValue } == ["failing-init", "hello", "knowledge", "twin"])
        #expect(listing.json["count"] == 4)

        let knowledge = try #require(plugins.first { $0["name"] == "knowledge" })
        #expect(knowledge["healthy"] == true)
        #expect(knowledge["basePath"] == "/api/knowledge_catalog/v1alpha1")
        #expect(knowledge["capabilitiesV2"]?["schemaVersion"] == "v1")
        #expect(knowledge["entityKinds"] == ["KnowledgeSource"])
        #expect(knowledge["status"]?["serving"] == true)
        #expect(knowledge["abiVersion"] == .string(ABIVersion.host.description))
        #expect(knowledge["swiftVersion"] == .string(SwiftToolchain.version), "the SDK declares its Swift release")
        #expect(knowledge["sdkVersion"]?.stringValue?.hasPrefix("CatalogPluginSDK ") == true)
        #expect(knowledge["routes"]?.arrayValue?.contains(["method": "GET", "pattern": "/knowledgesources"]) == true)
        let hello = try #require(plugins.first { $0["name"] == "hello" })
        #expect(hello["swiftVersion"] == nil, "a C plugin declares none")

        let failing = try #require(plugins.first { $0["name"] == "failing-init" })
        #expect(failing["healthy"] == false)
        #expect(failing["status"]?["lastError"] == "fixture init failed: database unreachable")

        let failures = try #require(listing.json["failures"]?.arrayValue)
        func failure(_ file: String) -> JSONValue? {
            failures.first { $0["file"]?.stringValue?.hasSuffix("/" + file) == true }
        }
        #expect(failure("notes.so")?["stage"] == "open")
        #expect(failure("nosymbol.so")?["stage"] == "symbol")
        #expect(failure("needs-dependency.so")?["stage"] == "open")
        #expect(failure("future.so")?["stage"] == "abi")
        #expect(failure("refuses.so")?["stage"] == "register")
        #expect(failure("failing-init.so")?["stage"] == "init")
        // A name two files register is served by neither, whichever loaded first.
        #expect(failure("twin.so")?["stage"] == "duplicate")
        #expect(failure("zz-duplicate-twin.so")?["stage"] == "duplicate")
        #expect(plugins.first { $0["name"] == "twin" }?["status"]?["serving"] == false)
        #expect(try await server.get("/api/twin_catalog/v1/ping").status == 503)
        #expect(failures.count == 8)
        #expect(failures.allSatisfy { !($0["reason"]?.stringValue ?? "").isEmpty })

        try await server.stop()
    }

    @Test func listsPagesAndGetsEntities() async throws {
        let fixtures = try await Self.pluginDirectory()
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [try Self.writeSources(in: fixtures.scratch)])
        let base = "/api/knowledge_catalog/v1alpha1/knowledgesources"

        let all = try await server.get(base)
        #expect(all.status == 200)
        #expect(all.json["size"] == 7)
        #expect(all.json["pageSize"] == 100)
        #expect(all.json["nextPageToken"] == nil)
        let names = try #require(all.json["items"]?.arrayValue).compactMap { $0["name"]?.stringValue }
        #expect(names == names.sorted() && names.count == 7)

        var paged: [String] = []
        var token: String?
        repeat {
            let page = try await server.get(base + "?pageSize=3" + (token.map { "&pageToken=\($0)" } ?? ""))
            #expect(page.status == 200)
            paged += try #require(page.json["items"]?.arrayValue).compactMap { $0["name"]?.stringValue }
            token = page.json["nextPageToken"]?.stringValue
        } while token != nil
        #expect(paged == names, "paging visits every entity once, in order")

        let one = try await server.get(base + "/incident-postmortems")
        #expect(one.status == 200)
        #expect(one.json["documentCount"] == 138)
        #expect(one.json["source_id"] == "sample")

        let missing = try await server.get(base + "/nope")
        #expect(missing.status == 404)
        #expect(missing.json["error"] == "knowledge source \"nope\" not found")

        let badSize = try await server.get(base + "?pageSize=zero")
        #expect(badSize.status == 400)
        #expect(badSize.json["error"]?.stringValue?.contains("pageSize") == true)

        let hello = try await server.get("/api/hello_catalog/v1/greetings/W%C3%B6rld")
        #expect(hello.status == 200)
        #expect(hello.json == ["greeting": "Hello, Wörld!", "language": "C"])

        try await server.stop()
    }

    @Test func frameworkEndpointsAndErrors() async throws {
        let fixtures = try await Self.pluginDirectory()
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [try Self.writeSources(in: fixtures.scratch)])

        for path in ["/healthz", "/livez"] {
            let alive = try await server.get(path)
            #expect(alive.status == 200)
            #expect(alive.json["status"] == "alive")
            #expect(alive.json["uptime"]?.stringValue?.hasSuffix("s") == true)
        }

        let ready = try await server.get("/readyz")
        #expect(ready.status == 200, "a broken third-party plugin does not make the server unready")
        #expect(ready.json["status"] == "degraded")
        #expect(ready.json["components"]?["initial_load"]?["status"] == "complete")
        #expect(ready.json["components"]?["plugins"]?["status"] == "degraded")
        #expect(ready.json["components"]?["plugins"]?["details"]?.stringValue?.contains("failing-init") == true)

        let capabilities = try await server.get("/api/plugins/knowledge/capabilities")
        #expect(capabilities.status == 200)
        #expect(capabilities.json["schemaVersion"] == "v1")
        let entities = try #require(capabilities.json["entities"]?.arrayValue)
        for entity in entities {
            let list = try #require(entity["endpoints"]?["list"]?.stringValue)
            let listed = try await server.get(list)
            #expect(listed.status == 200, "advertised endpoint \(list) answers")
            let first = try #require(listed.json["items"]?.arrayValue?.first)
            for column in try #require(entity["fields"]?["columns"]?.arrayValue) {
                let field = try #require(column["path"]?.stringValue)
                #expect(first[field] != nil, "advertised column \(field) is served")
            }
        }

        let unknownPlugin = try await server.get("/api/plugins/zzz/capabilities")
        #expect(unknownPlugin.status == 404)
        #expect(unknownPlugin.json == ["error": "plugin \"zzz\" not found", "code": "404", "message": "plugin \"zzz\" not found"])

        let unknownRoute = try await server.get("/no/such/route")
        #expect(unknownRoute.status == 404)
        #expect(unknownRoute.json["error"] == "no route for GET /no/such/route")

        let unknownPluginRoute = try await server.get("/api/hello_catalog/v1/nothing")
        #expect(unknownPluginRoute.status == 404)
        #expect(unknownPluginRoute.json["error"]?.stringValue != nil)

        let failedPlugin = try await server.get("/api/failing-init_catalog/v1/ping")
        #expect(failedPlugin.status == 503)
        #expect(failedPlugin.json["error"]?.stringValue?.contains("database unreachable") == true)

        let malformed = try await server.get("/api/hello_catalog/v1/greetings/%FF%FE")
        #expect(malformed.status == 400)
        #expect(malformed.json["error"]?.stringValue?.contains("percent-encoding") == true)

        // HEAD is GET without the body, on the framework's routes and a plugin's alike.
        let port = server.port
        for path in ["/healthz", "/api/hello_catalog/v1/greetings/ada"] {
            let text = try await onThread {
                let connection = try RawConnection(port: port)
                try connection.send("HEAD \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                return String(decoding: connection.readUntilClosed(timeout: 30).data, as: UTF8.self)
            }
            #expect(text.hasPrefix("HTTP/1.1 200") && text.hasSuffix("\r\n\r\n"), "no body: \(text)")
            #expect(text.lowercased().contains("content-length: ") && !text.lowercased().contains("content-length: 0\r"), "the GET's length: \(text)")
        }

        try await server.stop()
    }

    @Test func strictReadinessFailsOnAnyBrokenPlugin() async throws {
        let fixtures = try PluginFixtures("strict")
        try await fixtures.addHelloPlugin()
        try await fixtures.addNotAnELFFile("broken.so")
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, strictReadiness: true)
        let ready = try await server.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.json["status"] == "not_ready")
        try await server.stop()
    }

    @Test func healthyServerIsReady() async throws {
        let fixtures = try PluginFixtures("ready")
        try await fixtures.addHelloPlugin()
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, strictReadiness: true)
        let ready = try await server.get("/readyz")
        #expect(ready.status == 200)
        #expect(ready.json["status"] == "ready")
        #expect(ready.json["components"]?["plugins"]?["details"] == "all 1 plugins healthy")
        try await server.stop()
    }

    @Test func unansweredRequestEndsAtItsDeadline() async throws {
        let fixtures = try PluginFixtures("deadline")
        try await fixtures.addFixture("silent.so", defines: ["-DFIXTURE_NAME=\"silent\""])
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, deadlines: CallDeadlines(request: .milliseconds(200)))
        let silent = try await server.get("/api/silent_catalog/v1/silent")
        #expect(silent.status == 504)
        #expect(silent.json["error"]?.stringValue?.contains("did not answer") == true)
        let ping = try await server.get("/api/silent_catalog/v1/ping")
        #expect(ping.json == ["pong": "silent"], "the plugin keeps serving after a timed-out call")
        try await server.stop()
    }

    @Test func brokenDataFileFailsOnlyThatPlugin() async throws {
        let fixtures = try PluginFixtures("bad-data")
        try await fixtures.addKnowledgePlugin()
        try await fixtures.addHelloPlugin()
        let data = fixtures.scratch.appendingPathComponent("broken.yaml")
        try Data("knowledgesources:\n  - name: [unclosed\n".utf8).write(to: data)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [try Self.writeSources(in: fixtures.scratch, dataPath: data.path)])
        let list = try await server.get("/api/knowledge_catalog/v1alpha1/knowledgesources")
        #expect(list.status == 200)
        #expect(list.json["size"] == 0)
        let hello = try await server.get("/api/hello_catalog/v1/greetings/x")
        #expect(hello.status == 200)
        try await server.stop()
    }
}
