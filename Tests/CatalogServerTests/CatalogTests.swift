import CatalogJSON
import Foundation
import Testing
@testable import CatalogTestSupport

/// The four shipped catalogs served over HTTP from the reference project's data files.
@Suite("Catalogs on the reference data")
struct CatalogTests {
    static let catalogs: [(plugin: String, base: String, plural: String, files: [String], key: String)] = [
        ("model", "/api/model_catalog/v1alpha1", "models", ["models-validated.yaml", "models-organization.yaml", "models-community.yaml"], "models"),
        ("mcp", "/api/mcp_catalog/v1alpha1", "mcpservers", ["mcp-servers.yaml"], "mcpservers"),
        ("agents", "/api/agents_catalog/v1alpha1", "agents", ["agents.yaml"], "agents"),
        ("knowledge", "/api/knowledge_catalog/v1alpha1", "knowledgesources", ["knowledge-sources.yaml"], "knowledgesources"),
    ]

    /// A sources.yaml pointing every catalog at the reference data; `extra` is appended to the
    /// models section's sources.
    static func referenceSources(in directory: URL, mcpSourceExtras: String = "", extraModelSources: String = "") throws -> String {
        let data = TestPaths.referenceData.path
        let yaml = """
            apiVersion: catalog/v1alpha1
            kind: CatalogSources
            catalogs:
              models:
                sources:
                  - {id: validated, name: Validated, type: yaml, labels: [Validated], properties: {yamlCatalogPath: "\(data)/models-validated.yaml"}}
                  - {id: organization, name: Organization, type: yaml, labels: [Organization], properties: {yamlCatalogPath: "\(data)/models-organization.yaml"}}
                  - {id: community, name: Community, type: yaml, labels: [Community], properties: {yamlCatalogPath: "\(data)/models-community.yaml"}}
            \(extraModelSources)
              mcp:
                sources:
                  - id: mcp-default
                    type: yaml
                    properties: {yamlCatalogPath: "\(data)/mcp-servers.yaml"}
            \(mcpSourceExtras)
              agents:
                sources:
                  - {id: agents-default, type: yaml, properties: {yamlCatalogPath: "\(data)/agents.yaml"}}
              knowledge:
                sources:
                  - {id: knowledge-default, type: yaml, properties: {yamlCatalogPath: "\(data)/knowledge-sources.yaml"}}
            """
        let file = directory.appendingPathComponent("sources.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    static func startServer(sources: ((URL) throws -> String)? = nil) async throws -> TestServer {
        let fixtures = try PluginFixtures("catalogs")
        try await fixtures.addShippedCatalogs()
        let configuration = try (sources ?? { try referenceSources(in: $0) })(fixtures.scratch)
        return try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [configuration])
    }

    static func names(in result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))!
    }

    @Test func servesEveryEntryOfTheReferenceFiles() async throws {
        let server = try await Self.startServer()
        for catalog in Self.catalogs {
            var expected: [String] = []
            for file in catalog.files {
                let document = try YAMLDocument.load(path: TestPaths.referenceData.appendingPathComponent(file).path)
                expected += try #require(document[catalog.key]?.arrayValue).compactMap { $0["name"]?.stringValue }
            }
            let list = try await server.get("\(catalog.base)/\(catalog.plural)?pageSize=1000")
            #expect(list.status == 200)
            #expect(Self.names(in: list) == expected.sorted(), "\(catalog.plugin) serves every entry, ordered by name")
            #expect(list.json["size"] == .integer(Int64(expected.count)))
            for name in expected {
                let plain = try await server.get("\(catalog.base)/\(catalog.plural)/\(name)")
                #expect(plain.status == 200 && plain.json["name"]?.stringValue == name, "GET \(name)")
                let encoded = try await server.get("\(catalog.base)/\(catalog.plural)/\(Self.encoded(name))")
                #expect(encoded.json["name"]?.stringValue == name, "GET \(Self.encoded(name))")
            }
        }
        try await server.stop()
    }

    @Test func pagesThroughEverySortableFieldInBothDirections() async throws {
        let server = try await Self.startServer()
        for catalog in Self.catalogs {
            let capabilities = try await server.get("/api/plugins/\(catalog.plugin)/capabilities")
            let columns = try #require(capabilities.json["entities"]?.arrayValue?.first?["fields"]?["columns"]?.arrayValue)
            for column in columns where column["sortable"] == true {
                let field = try #require(column["name"]?.stringValue)
                let numeric = ["integer", "number", "timestamp"].contains(column["type"]?.stringValue ?? "")
                for order in ["ASC", "DESC"] {
                    let query = "orderBy=\(field)&sortOrder=\(order)"
                    let full = try await server.get("\(catalog.base)/\(catalog.plural)?\(query)&pageSize=1000")
                    let items = try #require(full.json["items"]?.arrayValue)
                    var paged: [String] = []
                    var token: String?
                    repeat {
                        let page = try await server.get("\(catalog.base)/\(catalog.plural)?\(query)&pageSize=2" + (token.map { "&pageToken=\($0)" } ?? ""))
                        #expect(page.status == 200)
                        #expect((page.json["items"]?.arrayValue?.count ?? 0) <= 2)
                        paged += Self.names(in: page)
                        token = page.json["nextPageToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
                    } while token != nil && paged.count <= items.count
                    #expect(paged == Self.names(in: full), "\(catalog.plugin) \(query): pages neither skip nor repeat")
                    let keys = items.compactMap { $0[field] }
                    for (earlier, later) in zip(keys, keys.dropFirst()) {
                        let inOrder: Bool
                        if numeric, let a = earlier.doubleValue ?? earlier.stringValue.flatMap(Double.init),
                            let b = later.doubleValue ?? later.stringValue.flatMap(Double.init)
                        {
                            inOrder = order == "ASC" ? a <= b : a >= b
                        } else {
                            let (a, b) = (earlier.stringValue ?? "\(earlier)", later.stringValue ?? "\(later)")
                            inOrder = order == "ASC" ? a <= b : a >= b
                        }
                        #expect(inOrder, "\(catalog.plugin) \(query): \(earlier) then \(later)")
                    }
                }
            }
        }
        try await server.stop()
    }

    @Test func capabilitiesDescribeExactlyWhatIsServed() async throws {
        let server = try await Self.startServer()
        let listing = try await server.get("/api/plugins")
        for catalog in Self.catalogs {
            let document = try await server.get("/api/plugins/\(catalog.plugin)/capabilities")
            #expect(document.status == 200)
            let inline = listing.json["plugins"]?.arrayValue?.first { $0["name"]?.stringValue == catalog.plugin }?["capabilitiesV2"]
            #expect(inline == document.json, "the inline document is the served one")
            let entity = try #require(document.json["entities"]?.arrayValue?.first)
            let endpoints = try #require(entity["endpoints"]?.objectValue)
            let list = try await server.get(try #require(endpoints["list"]?.stringValue) + "?pageSize=1000")
            #expect(list.status == 200)
            let items = try #require(list.json["items"]?.arrayValue)
            let name = try #require(items.first?["name"]?.stringValue)
            for (endpoint, path) in endpoints where endpoint != "list" {
                let url = try #require(path.stringValue).replacingOccurrences(of: "{name}", with: Self.encoded(name))
                let answer = endpoint == "action"
                    ? try await server.send("POST", url, ["action": "tag", "dryRun": true, "params": ["tags": ["t"]]])
                    : try await server.get(url)
                #expect(answer.status == 200, "advertised \(endpoint) endpoint \(url)")
            }
            let fields = try #require(entity["fields"])
            for field in (fields["columns"]?.arrayValue ?? []) + (fields["detailFields"]?.arrayValue ?? []) {
                let path = try #require(field["path"]?.stringValue).split(separator: ".").map(String.init)
                let present = items.contains { item in path.reduce(Optional(item)) { $0?[$1] } != nil }
                #expect(present, "\(catalog.plugin): advertised field \(path.joined(separator: ".")) is served")
            }
            for filter in fields["filterFields"]?.arrayValue ?? [] {
                let field = try #require(filter["name"]?.stringValue)
                let answer = try await server.get("\(catalog.base)/\(catalog.plural)?filterQuery=\(Self.encoded("\(field) != 'x'"))")
                #expect(answer.status == 200, "\(catalog.plugin): advertised filter field \(field)")
            }
            for column in fields["columns"]?.arrayValue ?? [] where column["sortable"] == true {
                let answer = try await server.get("\(catalog.base)/\(catalog.plural)?orderBy=\(column["name"]!.stringValue!)")
                #expect(answer.status == 200)
            }
        }
        try await server.stop()
    }

    @Test func modelNamesWithSlashesAndArtifacts() async throws {
        let server = try await Self.startServer()
        let base = "/api/model_catalog/v1alpha1/models"
        for path in ["certified/production-llm-8b", "certified%2Fproduction-llm-8b"] {
            let model = try await server.get("\(base)/\(path)")
            #expect(model.status == 200)
            #expect(model.json["name"] == "certified/production-llm-8b")
            #expect(model.json["artifacts"] == nil, "artifacts are a sub-resource")
            let artifacts = try await server.get("\(base)/\(path)/artifacts")
            #expect(artifacts.status == 200)
            #expect(artifacts.json["size"] == .integer(Int64(artifacts.json["items"]?.arrayValue?.count ?? -1)))
            #expect(artifacts.json["items"]?.arrayValue?.first?["uri"]?.stringValue?.hasPrefix("oci://") == true)
        }
        #expect(try await server.get("\(base)/certified/nope").status == 404)
        #expect(try await server.get("\(base)/certified/nope/artifacts").status == 404)

        let asset = try await server.get("/api/model_catalog/v1alpha1/management/entities/certified/production-llm-8b")
        #expect(asset.status == 200)
        #expect(asset.json["apiVersion"] == "catalog/v1alpha1")
        #expect(asset.json["kind"] == "CatalogModel")
        #expect(asset.json["metadata"]?["name"] == "certified/production-llm-8b")
        #expect(asset.json["metadata"]?["sourceRef"]?["sourceId"] == "validated")
        #expect(asset.json["metadata"]?["labels"]?["Validated"] != nil)
        #expect(asset.json["spec"]?["provider"] == "Validation Authority")
        #expect(asset.json["status"] == ["lifecycle": "active", "health": "unknown"])

        let archived = try await server.get("/api/knowledge_catalog/v1alpha1/management/entities/legacy-wiki")
        #expect(archived.json["status"]?["lifecycle"] == "archived")
        try await server.stop()
    }

    @Test func sourceAndTextFilters() async throws {
        let server = try await Self.startServer()
        let base = "/api/model_catalog/v1alpha1/models"
        let community = try await server.get("\(base)?source=community")
        #expect(Self.names(in: community).count == 4)
        let labelled = try await server.get("\(base)?sourceLabel=Validated&sourceLabel=Community")
        #expect(Self.names(in: labelled).count == 8)
        #expect(Self.names(in: labelled).allSatisfy { !$0.hasPrefix("acme-ai/") })
        let text = try await server.get("/api/mcp_catalog/v1alpha1/mcpservers?q=KUBERNETES")
        #expect(Self.names(in: text).contains("kubernetes-mcp-server"))
        let combined = try await server.get("/api/mcp_catalog/v1alpha1/mcpservers?filterQuery=provider+%3D+%27Red+Hat%27&orderBy=toolCount&sortOrder=DESC")
        #expect(Self.names(in: combined) == ["openshift-mcp-server", "kubernetes-mcp-server", "ansible-mcp-server"])
        try await server.stop()
    }

    /// A bare unknown name is a custom property where the catalog has them (models, MCP
    /// servers: no match), and a 400 with its position where it has none (knowledge).
    @Test func unknownNamesDependOnCustomProperties() async throws {
        let server = try await Self.startServer()
        let models = try await server.get("/api/model_catalog/v1alpha1/models?filterQuery=bogus%3D1")
        #expect(models.status == 200 && models.json["size"] == 0)
        let knowledge = try await server.get("/api/knowledge_catalog/v1alpha1/knowledgesources?filterQuery=bogus%3D1")
        #expect(knowledge.status == 400)
        #expect(knowledge.json["error"]?.stringValue?.contains("unknown field 'bogus'") == true, "\(knowledge.json)")
        try await server.stop()
    }

    @Test(arguments: [
        ("pageSize=0", "pageSize"), ("pageSize=ten", "pageSize"), ("sortOrder=UP", "sortOrder"),
        ("orderBy=readme", "orderBy"), ("filterQuery=name%20%3D", "filterQuery"),
        ("filterQuery=bogus", "expected a comparison"), ("filterQuery=%60%60%3D1", "backtick-quoted name is empty"),
        ("pageToken=garbage", "pageToken"),
    ])
    func badParametersAreNamed(query: String, mention: String) async throws {
        let server = try await Self.startServer()
        let answer = try await server.get("/api/model_catalog/v1alpha1/models?\(query)")
        #expect(answer.status == 400)
        #expect(answer.json["error"]?.stringValue?.contains(mention) == true, "\(answer.json)")
        try await server.stop()
    }

    /// catalog-server's own lists refuse an unknown `orderBy` (the contract's `/models` falls back, as upstream's).
    @Test func ourListsRefuseAnUnknownOrder() async throws {
        let server = try await Self.startServer()
        let answer = try await server.get("/api/knowledge_catalog/v1alpha1/knowledgesources?orderBy=nothing")
        #expect(answer.status == 400 && answer.json["error"]?.stringValue?.contains("orderBy") == true, "\(answer.json)")
        try await server.stop()
    }

    @Test func pageTokenIsBoundToItsOrder() async throws {
        let server = try await Self.startServer()
        let base = "/api/mcp_catalog/v1alpha1/mcpservers"
        let first = try await server.get("\(base)?pageSize=2&orderBy=toolCount")
        let token = try #require(first.json["nextPageToken"]?.stringValue)
        let mismatched = try await server.get("\(base)?pageSize=2&orderBy=name&pageToken=\(token)")
        #expect(mismatched.status == 400)
        #expect(mismatched.json["error"]?.stringValue?.contains("orderBy=toolCount") == true)
        try await server.stop()
    }

    @Test func includedAndExcludedItemsFilterASource() async throws {
        let server = try await Self.startServer { directory in
            try Self.referenceSources(in: directory, mcpSourceExtras: """
                        includedItems: ["*-mcp-server"]
                        excludedItems: ["j*", "*shift*"]
                """)
        }
        let list = try await server.get("/api/mcp_catalog/v1alpha1/mcpservers")
        #expect(Self.names(in: list) == ["ansible-mcp-server", "github-mcp-server", "kubernetes-mcp-server", "postgres-mcp-server"])
        try await server.stop()
    }

    @Test func brokenDataFileOnlyPutsItsSourceInError() async throws {
        let server = try await Self.startServer { directory in
            let broken = directory.appendingPathComponent("broken-models.yaml")
            try Data("models:\n  - name: ok\n    tasks: [unclosed\n".utf8).write(to: broken)
            return try Self.referenceSources(in: directory, extraModelSources: """
                      - {id: broken, type: yaml, properties: {yamlCatalogPath: "\(broken.path)"}}
                      - {id: missing, type: yaml, properties: {yamlCatalogPath: "\(directory.path)/absent.yaml"}}
                      - {id: odd, type: database}
                """)
        }
        let models = try await server.get("/api/model_catalog/v1alpha1/models")
        #expect(models.json["size"] == 14, "the three good sources still serve")
        let sources = try #require(try await server.get("/api/model_catalog/v1alpha1/sources").json["sources"]?.arrayValue)
        func status(_ id: String) -> JSONValue? { sources.first { $0["id"]?.stringValue == id }?["status"] }
        #expect(status("validated")?["state"] == "available")
        #expect(status("validated")?["entityCount"] == 4)
        #expect(status("broken")?["state"] == "error")
        let brokenError = status("broken")?["error"]?.stringValue ?? ""
        #expect(brokenError.contains("broken-models.yaml:4:"), "names the file and line: \(brokenError)")
        #expect(status("missing")?["error"]?.stringValue?.contains("absent.yaml") == true)
        #expect(status("odd")?["error"]?.stringValue?.contains("not supported") == true)
        let mcp = try await server.get("/api/mcp_catalog/v1alpha1/mcpservers")
        #expect(mcp.json["size"] == 6, "other plugins are unaffected")
        try await server.stop()
    }
}
