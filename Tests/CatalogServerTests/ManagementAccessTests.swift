import CatalogJSON
@testable import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// Who may change what through the management API, and which files it may name.
@Suite("Management access", .timeLimit(.minutes(2)))
struct ManagementAccessTests {
    static let management = "/api/mcp_catalog/v1alpha1/management"
    static let admin = "admin-token-0123456789abcdef"
    static let reader = "read-token-0123456789abcdef"
    static let tag: JSONValue = ["action": "tag", "params": ["tags": ["prod"]]]

    static func tokens() throws -> AccessTokens {
        try AccessTokens(text: "# who may do what\n\(admin)  admin\n\(reader)\tread   # the dashboard\n", path: "tokens")
    }

    static func bearer(_ token: String) -> [String: String] { ["Authorization": "Bearer \(token)"] }

    @Test func managementWritesNeedAnAdminToken() async throws {
        let tokens = try Self.tokens()
        let server = try await HostileClientTests.startMCP("access-tokens") { $0.access = AccessPolicy(tokens: tokens) }
        let entity = Self.management + "/entities/jira-mcp-server:action"

        let anonymous = try await server.send("POST", entity, Self.tag)
        #expect(anonymous.status == 401)
        for sneaky in [entity.replacingOccurrences(of: "/management", with: "//management"), entity.replacingOccurrences(of: "v1alpha1/", with: "v1alpha1///")] {
            #expect(try await server.send("POST", sneaky, Self.tag).status == 401, "\(sneaky) is a management write too")
        }
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try await server.send("POST", entity, Self.tag, headers: Self.bearer("wrong-token-0123456789")).status == 401)
        let reading = try await server.send("POST", entity, Self.tag, headers: Self.bearer(Self.reader))
        #expect(reading.status == 403)
        #expect(reading.json["error"]?.stringValue?.contains("admin") == true)
        #expect(try await server.send("POST", entity, Self.tag, headers: Self.bearer(Self.admin)).status == 200)

        // Reads stay open unless the operator protects them.
        #expect(try await server.get(Self.management + "/sources").status == 200)
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").status == 200)
        try await server.stop()
    }

    @Test func protectedReadsNeedAnyTokenButHealthDoesNot() async throws {
        let tokens = try Self.tokens()
        let server = try await HostileClientTests.startMCP("access-reads") {
            $0.access = AccessPolicy(tokens: tokens, protectReads: true)
        }
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers").status == 401)
        #expect(try await server.get("/api/plugins").status == 401)
        #expect(try await server.send("GET", "/api/mcp_catalog/v1alpha1/mcpservers", headers: Self.bearer(Self.reader)).status == 200)
        for path in ["/healthz", "/livez", "/readyz"] { #expect(try await server.get(path).status == 200) }
        try await server.stop()
    }

    @Test func withoutTokensANonLoopbackServerRefusesManagementWrites() throws {
        let write = AccessPolicy.Subject(path: Self.management + "/refresh", isWrite: true, host: "127.0.0.1:8080")
        let open = AccessPolicy()
        let refusal = try #require(open.refusal(for: write, loopback: false))
        #expect(refusal.status == .forbidden)
        #expect(refusal.message.contains("--auth-tokens"))
        #expect(open.refusal(for: write, loopback: true) == nil, "a loopback development server is open")
        #expect(AccessPolicy(allowUnauthenticatedManagement: true).refusal(for: write, loopback: false) == nil)
        #expect(open.refusal(for: .init(path: "/api/x", isWrite: false), loopback: false) == nil)

        // On loopback, what a web page could send is refused: another origin, a rebound host name.
        var crossSite = write
        crossSite.origin = "https://evil.example"
        #expect(open.refusal(for: crossSite, loopback: true)?.status == .forbidden)
        crossSite.origin = "http://127.0.0.1:8080"
        #expect(open.refusal(for: crossSite, loopback: true) == nil, "the server's own origin")
        var rebound = write
        rebound.host = "evil.example:8080"
        #expect(open.refusal(for: rebound, loopback: true)?.message.contains("loopback Host") == true)
        #expect(CatalogResponder.isManagement("/api/m//management/refresh", basePath: "/api/m"))
        #expect(CatalogResponder.isManagement("/api/m/%6Danagement/x", basePath: "/api/m"))
        #expect(!CatalogResponder.isManagement("/api/m/managements", basePath: "/api/m"))
    }

    @Test func tokensFilesAreCheckedWithoutRevealingTokens() throws {
        let tokens = try Self.tokens()
        #expect(tokens.role(of: Self.admin) == .admin)
        #expect(tokens.role(of: Self.reader) == .read)
        #expect(tokens.role(of: Self.admin + "x") == nil)
        for (text, problem) in [
            ("short admin\n", "tokens:1: the token is shorter than 16 characters"),
            ("\(Self.admin) owner\n", "tokens:1: the role must be read or admin"),
            ("# nothing\n", "tokens: the file names no token"),
            ("\n\(Self.admin)\n", "tokens:2: expected TOKEN ROLE"),
        ] {
            #expect(throws: AccessTokensError.self) { try AccessTokens(text: text, path: "tokens") }
            do { _ = try AccessTokens(text: text, path: "tokens") } catch {
                #expect(error.description == problem)
                #expect(!error.description.contains(Self.admin))
            }
        }
    }

    @Test func filesNamedThroughTheAPIStayInsideTheDataRoots() async throws {
        let fixtures = try PluginFixtures("access-files")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        let sources = try HostilePluginTests.sources(HostilePluginTests.mcpSource, in: fixtures)
        let inside = fixtures.scratch.appendingPathComponent("extra.yaml")
        try Data("mcpservers:\n  - {name: extra-server, description: Added, provider: Ops, toolCount: 1}\n".utf8).write(to: inside)
        let link = fixtures.scratch.appendingPathComponent("innocent.yaml")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/etc/passwd")
        let elsewhere = try TestPaths.temporaryDirectory("access-files-elsewhere")
        let extraRoot = elsewhere.appendingPathComponent("more.yaml")
        try Data(contentsOf: inside).write(to: extraRoot)
        let server = try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [sources], stateDirectory: fixtures.scratch.appendingPathComponent("state")
        ) { $0.dataRoots = [elsewhere.path] }

        func source(_ path: String) -> JSONValue { ["id": "x", "type": "yaml", "properties": ["yamlCatalogPath": .string(path)]] }
        for path in ["/etc/shadow", "/etc/nonexistent-file", "../../../../../../etc/passwd", link.path, fixtures.scratch.path + "/../../etc/passwd"] {
            let refused = try await server.send("POST", Self.management + "/apply-source", source(path))
            #expect(refused.status == 422, "\(path)")
            let problem = refused.json["errors"]?.arrayValue?.first
            #expect(problem?["field"] == "properties.yamlCatalogPath")
            #expect(problem?["message"]?.stringValue?.contains("inside the data roots") == true, "\(problem ?? .null)")
            #expect(problem?["message"]?.stringValue?.contains("exist") == false, "the answer does not say whether the file exists")
        }
        #expect(try await server.send("POST", Self.management + "/apply-source", source("extra.yaml")).status == 200, "relative to the first root")
        #expect(try await server.send("POST", Self.management + "/apply-source", source(extraRoot.path)).status == 200, "inside --data-root")
        #expect(try await server.get("/api/mcp_catalog/v1alpha1/mcpservers?source=x").json["size"] == 1)
        try await server.stop()
    }

    @Test func dataRootsNormaliseBeforeTheyAskTheFileSystem() throws {
        let roots = DataRoots(["/srv/catalog/data", "/srv/extra"])
        #expect(roots.confine("models.yaml") == "/srv/catalog/data/models.yaml")
        #expect(roots.confine("/srv/extra/a/../b.yaml") == "/srv/extra/b.yaml")
        #expect(roots.confine("/srv/catalog/data/../secret") == nil)
        #expect(roots.confine("/srv/extra-other/x") == nil, "a sibling with the same prefix is outside")
        #expect(roots.confine("/etc/shadow") == nil)
        #expect(roots.confine("a\u{0}b") == nil)
    }
}
