import CatalogJSON
import Foundation
import Testing

@testable import CatalogServer
@testable import CatalogTestSupport

/// `GET /openapi.yaml` describes exactly what the server mounts: with every shipped plugin,
/// each route the router serves is in our document or in upstream's contract (which the model
/// and MCP catalogs answer), and each path of our document is served. Schemathesis checks the
/// answers against it in `.ci/run` (Tests/OpenAPI/run.sh).
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// One route: a method and the path's segments, parameters as `{}`; a router's `**` (the
    /// rest of the path) stays `**`.
    struct Route: Hashable, CustomStringConvertible {
        var method: String
        var segments: [String]

        /// `METHOD /path` from the router, or a method and a path of an OpenAPI document. A
        /// `{parameter}:verb` segment is the parameter: the router matches `/sources/{id}` and
        /// the handler reads the verb.
        init(method: String, path: String) {
            self.method = method.uppercased()
            segments = path.split(separator: "/").map { $0.contains("{") ? "{}" : String($0) }
        }

        init(_ description: String) {
            let parts = description.split(separator: " ", maxSplits: 1)
            self.init(method: String(parts[0]), path: String(parts[1]))
        }

        /// Whether this mounted route serves `documented`.
        func serves(_ documented: Route) -> Bool {
            guard method == documented.method else { return false }
            if segments.last == "**" {
                return documented.segments.count >= segments.count && zip(segments.dropLast(), documented.segments).allSatisfy { $0 == $1 }
            }
            return segments == documented.segments
        }

        var description: String { "\(method) /\(segments.joined(separator: "/"))" }
    }

    /// The routes of an OpenAPI document; a `{catalog}` segment stands for each of `catalogs`.
    static func routes(of document: JSONValue, catalogs: [String]) -> [Route] {
        let methods = ["get", "put", "post", "delete", "patch", "head", "options"]
        return (document["paths"]?.objectValue ?? [:]).flatMap { path, item -> [Route] in
            let paths = path.contains("{catalog}") ? catalogs.map { path.replacingOccurrences(of: "{catalog}", with: $0) } : [path]
            return paths.flatMap { path in methods.filter { item[$0] != nil }.map { Route(method: $0, path: path) } }
        }
    }

    static let documentFile = TestPaths.packageRoot.appendingPathComponent("Sources/CatalogServer/Resources/openapi.yaml")
    static let upstreamContract = TestPaths.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/reference/upstream/catalog-openapi.yaml")

    @Test func theDocumentMatchesTheMountedRoutes() async throws {
        let fixtures = try PluginFixtures("openapi")
        try await fixtures.addShippedCatalogs()
        try await fixtures.addHelloPlugin()
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)

        let served = try await server.get("/openapi.yaml")
        #expect(served.status == 200 && served.contentType?.hasPrefix("application/yaml") == true)
        #expect(served.body == (try Data(contentsOf: Self.documentFile)), "the binary serves the file in the repository")
        let document = try YAMLDocument.parse(String(decoding: served.body, as: UTF8.self), path: "openapi.yaml")
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.") == true)

        let host = server.server.host
        for plugin in host.registry.all where plugin.name != "hello" {
            #expect(plugin.currentState.capabilitiesProblems.isEmpty, "\(plugin.name)'s document conforms to the published schema")
        }
        let mounted = (host.mounts.all.flatMap(\.mountedRoutes)
            + FrameworkRoutes(host: host, strictReadiness: false, readinessGrace: .zero).mountedRoutes).map(Route.init)
        let catalogs = host.mounts.all.map { $0.basePath.split(separator: "/").dropFirst().first.map(String.init) ?? "" }
        #expect(Set(catalogs).isSuperset(of: ["model_catalog", "mcp_catalog", "agents_catalog", "knowledge_catalog", "hello_catalog"]))
        let ours = Self.routes(of: document, catalogs: catalogs.filter { $0 != "hello_catalog" })
        let upstream = Self.routes(of: try YAMLDocument.load(path: Self.upstreamContract.path), catalogs: [])

        let undocumented = mounted.filter { route in !(ours + upstream).contains { route.serves($0) } }
        #expect(undocumented.isEmpty, "mounted but in neither document: \(undocumented)")
        let unserved = ours.filter { documented in !mounted.contains { $0.serves(documented) } }
        #expect(unserved.isEmpty, "documented but not mounted: \(unserved)")
        try await server.stop()
    }

    /// The console's files and the document are open with `--protect-reads` (they hold no
    /// data), carry a strict Content-Security-Policy, and `/console` leads to the page.
    @Test func theConsoleIsServedWithItsPolicy() async throws {
        let fixtures = try PluginFixtures("console")
        let tokens = try AccessTokens(text: "0123456789abcdef0123 read\n", path: "tokens")
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory) { settings in
            settings.access = AccessPolicy(tokens: tokens, protectReads: true)
        }
        let port = server.port
        let redirect = try await onThread {
            let connection = try RawConnection(port: port)
            try connection.send("GET /console HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            return RawResponse.parseAll(connection.readUntilClosed(timeout: 30).data).first
        }
        #expect(redirect?.status == 301 && redirect?.header("location") == ["/console/"])
        for (file, type) in [("", "text/html"), ("console.js", "text/javascript"), ("console.css", "text/css")] {
            let answer = try await server.get("/console/" + file)
            #expect(answer.status == 200 && answer.contentType?.hasPrefix(type) == true, "\(file)")
            #expect(answer.headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true)
            #expect(answer.headers["x-content-type-options"] == "nosniff")
            #expect(!answer.body.isEmpty)
        }
        #expect(try await server.get("/console/secrets.txt").status == 404)
        #expect(try await server.get("/console/..%2Fopenapi.yaml").status == 404)
        #expect(try await server.get("/openapi.yaml").status == 200)
        #expect(try await server.get("/api/plugins").status == 401, "the data still needs a token")
        try await server.stop()
    }
}
