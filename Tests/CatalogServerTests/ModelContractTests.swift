import CatalogJSON
import Foundation
import Testing
@testable import CatalogTestSupport

/// The model endpoints of the Kubeflow catalog contract, on the upstream-format sample
/// configuration and data in `Tests/Contract` (the same files the contract fuzzing serves):
/// one model name in two sources, accuracy and performance metrics, a partially available
/// source and a disabled one.
@Suite("Model catalog, Kubeflow contract")
struct ModelContractTests {
    static let base = "/api/model_catalog/v1alpha1"
    static let contract = TestPaths.packageRoot.appendingPathComponent("Tests/Contract")

    static func start() async throws -> TestServer {
        let fixtures = try PluginFixtures("model-contract")
        try await fixtures.addSwiftPlugin("ModelCatalog", as: "model.so")
        return try await TestServer.start(
            pluginsDirectory: fixtures.directory, sources: [contract.appendingPathComponent("sources.yaml").path])
    }

    static func names(_ result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static func sourced(_ result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { item in
            item["name"]?.stringValue.map { "\(item["source_id"]?.stringValue ?? "?")/\($0)" }
        } ?? []
    }

    @Test func listsModelsOfEverySourceAsTheContractSays() async throws {
        let server = try await Self.start()
        let all = try await server.get(Self.base + "/models")
        #expect(all.status == 200)
        #expect(Self.sourced(all) == [
            "org/acme/granite-8b", "org/acme/tiny-1b", "community/community/chat-3b", "drafts/drafts/good-2b",
            "community/shared/llama-7b", "org/shared/llama-7b",
        ], "one name in two sources is two models; the refused draft and the disabled source are absent")
        #expect(all.json["size"] == 6 && all.json["pageSize"] == 100 && all.json["nextPageToken"] == "")
        let community = try #require(all.json["items"]?.arrayValue?.first { $0["source_id"] == "community" && $0["name"] == "shared/llama-7b" })
        #expect(community["artifacts"] == nil && community["createTimeSinceEpoch"] == "1700000000000")
        #expect(community["customProperties"]?["size"] == ["metadataType": "MetadataStringValue", "string_value": "7B"])
        #expect(community["customProperties"]?["quantized"] == ["metadataType": "MetadataBoolValue", "bool_value": true])
        #expect(community["customProperties"]?["downloads"] == ["metadataType": "MetadataIntValue", "int_value": "1200"])

        #expect(Self.sourced(try await server.get(Self.base + "/models?source=org,community&q=LLAMA")) == ["community/shared/llama-7b", "org/shared/llama-7b"])
        #expect(Self.names(try await server.get(Self.base + "/models?q=summarization")) == ["acme/granite-8b"], "q looks in tasks")
        #expect(Self.names(try await server.get(Self.base + "/models?q=edge%20devices")) == ["acme/tiny-1b"], "and in descriptions")
        #expect(Self.sourced(try await server.get(Self.base + "/models?sourceLabel=ORG")) == ["org/acme/granite-8b", "org/acme/tiny-1b", "org/shared/llama-7b"])
        #expect(Self.sourced(try await server.get(Self.base + "/models?sourceLabel=null")) == ["community/community/chat-3b", "community/shared/llama-7b"])
        #expect(Self.sourced(try await server.get(Self.base + "/models?sourceLabel=null,Drafts")).count == 3)
        let both = try await server.get(Self.base + "/models?source=org&sourceLabel=Org")
        #expect(both.status == 400 && both.json["code"] == "400" && both.json["message"] == "source and sourceLabel cannot be used together")
        #expect(Self.names(try await server.get(Self.base + "/models?filterQuery=size%3D%278B%27")) == ["acme/granite-8b"])
        #expect(Self.names(try await server.get(Self.base + "/models?filterQuery=artifacts.overall_average%20%3E%3D%200.6")) == ["acme/granite-8b"])
        let bad = try await server.get(Self.base + "/models?filterQuery=name%20%3D")
        #expect(bad.status == 400 && bad.json["message"]?.stringValue?.contains("position") == true, "\(bad.json)")
        try await server.stop()
    }

    @Test func ordersByTheContractsFieldsAndUpstreamsForms() async throws {
        let server = try await Self.start()
        func order(_ query: String) async throws -> [String] { Self.sourced(try await server.get(Self.base + "/models?" + query)) }
        #expect(try await order("orderBy=CREATE_TIME&sortOrder=DESC") == [
            "org/acme/granite-8b", "org/acme/tiny-1b", "org/shared/llama-7b", "community/community/chat-3b",
            "community/shared/llama-7b", "drafts/drafts/good-2b",
        ], "models without the value come last")
        #expect(try await order("orderBy=ACCURACY&sortOrder=DESC").prefix(2) == ["org/acme/granite-8b", "org/acme/tiny-1b"])
        #expect(try await order("orderBy=artifacts.ttft_p90.double_value").prefix(2) == ["org/acme/tiny-1b", "org/acme/granite-8b"])
        #expect(try await order("orderBy=size.string_value&sortOrder=DESC").prefix(3) == ["org/acme/granite-8b", "community/shared/llama-7b", "org/acme/tiny-1b"])
        #expect(try await order("orderBy=provider.string_value").first == "org/acme/granite-8b", "a model field with a value suffix")
        let unknown = try await server.get(Self.base + "/models?orderBy=FOO")
        #expect(unknown.status == 200 && Self.names(unknown).first == "acme/granite-8b", "an unknown orderBy falls back, as upstream's")
        #expect(try await server.get(Self.base + "/models?orderBy=readme").status == 400, "a declared field that does not sort is named")

        // Paging by the contract's token: neither skips nor repeats, also across one name in two sources.
        let full = try await order("orderBy=NAME&sortOrder=DESC")
        var paged: [String] = []
        var token = ""
        repeat {
            let page = try await server.get(Self.base + "/models?orderBy=NAME&sortOrder=DESC&pageSize=1&nextPageToken=" + token)
            #expect(page.json["size"] == 1)
            paged += Self.sourced(page)
            token = page.json["nextPageToken"]?.stringValue ?? ""
        } while !token.isEmpty && paged.count <= full.count
        #expect(paged == full)

        // Recommendations: the lowest latency of each model's recommended performance artifacts.
        #expect(try await order("recommendations=true").prefix(2) == ["org/acme/tiny-1b", "org/acme/granite-8b"])
        #expect(try await order("recommendations=true&sortOrder=DESC").prefix(2) == ["org/acme/granite-8b", "org/acme/tiny-1b"])
        #expect(try await order("recommendations=true&filterQuery=artifacts.hardware_type%3D%27H100%27").prefix(1) == ["org/acme/granite-8b"],
                "the filter's artifact conditions choose the artifacts that count")
        let recommended = try await order("recommendations=true")
        var pages: [String] = []
        var next = ""
        repeat {
            let page = try await server.get(Self.base + "/models?recommendations=true&pageSize=4&nextPageToken=" + next)
            #expect(page.status == 200, "\(page.json)")
            pages += Self.sourced(page)
            next = page.json["nextPageToken"]?.stringValue ?? ""
        } while !next.isEmpty && pages.count <= recommended.count
        #expect(pages == recommended, "recommendation pages follow each other")
        try await server.stop()
    }

    @Test func getsModelsByTheirSourceWithArtifacts() async throws {
        let server = try await Self.start()
        let org = try await server.get(Self.base + "/sources/org/models/shared/llama-7b")
        #expect(org.status == 200 && org.json["provider"] == "Acme" && org.json["artifacts"] == nil)
        let community = try await server.get(Self.base + "/sources/community/models/shared%2Fllama-7b")
        #expect(community.json["provider"] == "Community", "an encoded slash works too")
        let twice = try await server.get(Self.base + "/sources/community/models/shared%252Fllama-7b/artifacts")
        #expect(twice.json["size"] == 1, "upstream's Python client encodes names twice: \(twice.json)")
        let missing = try await server.get(Self.base + "/sources/community/models/acme/granite-8b")
        #expect(missing.status == 404 && missing.json["message"] == "No model found 'acme/granite-8b' in source 'community'")
        #expect(try await server.get("/api/model_catalog/v1alpha1/models/shared/llama-7b").json["provider"] == "Acme",
                "our own get by name serves the earliest source's")

        let path = Self.base + "/sources/org/models/acme/granite-8b/artifacts"
        let artifacts = try await server.get(path)
        #expect(Self.names(artifacts) == ["granite-8b-oci", "granite-8b-accuracy", "granite-8b-h100-1", "granite-8b-h100-2", "granite-8b-h100-4"])
        #expect(artifacts.json["items"]?.arrayValue?.first?["artifactType"] == "model-artifact")
        #expect(try await server.get(Self.base + "/sources/org/models/acme%2Ftiny-1b/artifacts").json["items"]?.arrayValue?.first?["artifactType"] == "model-artifact",
                "an artifact without a type is a model artifact")
        #expect(Self.names(try await server.get(path + "?artifactType=model-artifact")) == ["granite-8b-oci"])
        #expect(try await server.get(path + "?artifact_type=metrics-artifact").json["size"] == 4)
        #expect(try await server.get(path + "?artifactType=bogus").status == 400)
        #expect(Self.names(try await server.get(path + "?filterQuery=mmlu%20%3E%200.5")) == ["granite-8b-accuracy"])
        #expect(Self.names(try await server.get(path + "?filterQuery=uri%20LIKE%20%27oci%3A%25%27")) == ["granite-8b-oci"])
        #expect(Self.names(try await server.get(path + "?orderBy=ttft_p90.double_value&sortOrder=DESC")).prefix(3) == ["granite-8b-h100-1", "granite-8b-h100-2", "granite-8b-h100-4"])
        #expect(try await server.get(path + "?orderBy=ttft_p90.bad_value").status == 400)
        let first = try await server.get(path + "?pageSize=2")
        #expect(first.json["size"] == 2)
        let next = try #require(first.json["nextPageToken"]?.stringValue)
        #expect(Self.names(try await server.get(path + "?pageSize=2&nextPageToken=" + next)) == ["granite-8b-h100-1", "granite-8b-h100-2"])

        let performance = Self.base + "/sources/org/models/acme/granite-8b/artifacts/performance"
        #expect(try await server.get(performance).json["size"] == 3)
        let sized = try await server.get(performance + "?targetRPS=10")
        let h100 = try #require(sized.json["items"]?.arrayValue?.first?["customProperties"])
        #expect(h100["replicas"] == ["metadataType": "MetadataIntValue", "int_value": "5"])
        #expect(h100["total_requests_per_second"]?["metadataType"] == "MetadataDoubleValue" && h100["total_requests_per_second"]?["double_value"]?.doubleValue == 10)
        #expect(Self.names(try await server.get(performance + "?recommendations=true")) == ["granite-8b-h100-1", "granite-8b-h100-2"],
                "the 4-GPU run costs twice the 2-GPU one for 2 % less latency")
        #expect(try await server.get(Self.base + "/sources/org/models/nothing/artifacts/performance").status == 404)
        try await server.stop()
    }

    @Test func listsSourcesLabelsAndFilterOptions() async throws {
        let server = try await Self.start()
        let sources = try await server.get(Self.base + "/sources")
        let items = try #require(sources.json["items"]?.arrayValue)
        #expect(items.compactMap { $0["id"]?.stringValue } == ["archive", "community", "drafts", "org"])
        #expect(items.compactMap { $0["status"]?.stringValue } == ["disabled", "available", "partially-available", "available"])
        let drafts = try #require(items.first { $0["id"] == "drafts" })
        #expect(drafts["error"]?.stringValue?.contains("drafts/bad-uri") == true && drafts["error"]?.stringValue?.contains("unsupported scheme \"ftp\"") == true)
        #expect(items.first { $0["id"] == "community" }?["excludedModels"] == ["*-draft"])
        #expect(sources.json["count"] == 4 && sources.json["sources"]?.arrayValue?.count == 4, "catalog-server's own members stay")
        #expect(try await server.get(Self.base + "/sources?name=ORGAN").json["items"]?.arrayValue?.count == 1)
        #expect(try await server.get(Self.base + "/sources?orderBy=NAME&sortOrder=DESC").json["items"]?.arrayValue?.first?["name"] == "Organisation models")
        #expect(try await server.get(Self.base + "/sources?orderBy=SIZE").status == 400)

        #expect(Self.names(try await server.get(Self.base + "/labels")) == ["Org", "Drafts"])
        #expect(Self.names(try await server.get(Self.base + "/labels?assetType=mcp_servers")) == ["Vendor"])
        #expect(Self.names(try await server.get(Self.base + "/labels?orderBy=displayName")) == ["Drafts", "Org"])
        #expect(Self.names(try await server.get(Self.base + "/labels?orderBy=description&sortOrder=DESC")) == ["Org", "Drafts"],
                "labels without the key keep their place after those with it")
        #expect(try await server.get(Self.base + "/labels?assetType=agents").status == 400)

        let options = try await server.get(Self.base + "/models/filter_options")
        let filters = try #require(options.json["filters"])
        #expect(filters["license"]?["values"] == ["apache-2.0", "llama2", "mit"])
        #expect(filters["tasks"]?["values"]?.arrayValue?.contains("summarization") == true)
        #expect(filters["size.string_value"]?["values"] == ["1B", "7B", "8B"])
        #expect(filters["context_window.int_value"]?["range"]?["min"]?.doubleValue == 32768 && filters["context_window.int_value"]?["type"] == "number")
        #expect(filters["artifacts.overall_average.double_value"]?["range"]?["min"]?.doubleValue == 0.55)
        #expect(filters["artifacts.overall_average.double_value"]?["range"]?["max"]?.doubleValue == 0.71)
        #expect(filters["logo"] == nil && filters["source_id"] == nil && filters["readme"] == nil)
        #expect(options.json["namedQueries"]?["largest_context"]?["context_window"]?["value"]?.doubleValue == 32768, "max resolved to the range")
        #expect(Self.names(try await server.get(Self.base + "/models?filterQuery=artifacts.overall_average%20%3E%3D%200.6")) == ["acme/granite-8b"])
        try await server.stop()
    }

    /// A multipart/form-data body with the given file parts.
    static func form(_ parts: [(String, String)]) -> (Data, String) {
        let boundary = "catalog-test-boundary"
        var body = ""
        for (name, content) in parts {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name).yaml\"\r\nContent-Type: application/yaml\r\n\r\n\(content)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return (Data(body.utf8), "multipart/form-data; boundary=\(boundary)")
    }

    @Test func previewsASourceConfiguration() async throws {
        let server = try await Self.start()
        func preview(_ parts: [(String, String)], query: String = "") async throws -> HTTPResult {
            let (body, type) = Self.form(parts)
            return try await HTTPResult.fetch(
                URL(string: "http://127.0.0.1:\(server.port)\(Self.base)/sources/preview\(query)")!, method: "POST", body: body,
                headers: ["Content-Type": type])
        }
        let config = "type: yaml\nincludedModels: [\"ACME/*\"]\nexcludedModels: [\"*-1b\"]\n"
        let data = "models:\n  - name: acme/big-70b\n  - name: acme/small-1b\n  - name: other/x\n"
        let stateless = try await preview([("config", config), ("catalogData", data)])
        #expect(stateless.status == 200, "\(stateless.json)")
        #expect(stateless.json["items"] == [["name": "acme/big-70b", "included": true], ["name": "acme/small-1b", "included": false], ["name": "other/x", "included": false]])
        #expect(stateless.json["summary"] == ["totalModels": 3, "includedModels": 1, "excludedModels": 2])
        let excluded = try await preview([("config", config), ("catalogData", data)], query: "?filterStatus=excluded&pageSize=1")
        #expect(Self.names(excluded) == ["acme/small-1b"] && excluded.json["summary"]?["totalModels"] == 3 && excluded.json["nextPageToken"] != "")

        let beside = try await preview([("config", config + "properties: {yamlCatalogPath: models-org.yaml}\n")])
        #expect(beside.json["summary"] == ["totalModels": 3, "includedModels": 1, "excludedModels": 2], "\(beside.json)")
        let outside = try await preview([("config", "type: yaml\nproperties: {yamlCatalogPath: /etc/passwd}\n")])
        #expect(outside.status == 422 && outside.json["message"]?.stringValue?.contains("is not the data file of a configured model source") == true)
        let climbing = try await preview([("config", "type: yaml\nproperties: {yamlCatalogPath: ../../Package.swift}\n")])
        #expect(climbing.status == 422)
        for sibling in ["sources.yaml", "mcp-servers.yaml"] {
            let answer = try await preview([("config", "type: yaml\nproperties: {yamlCatalogPath: \(sibling)}\n")])
            #expect(answer.status == 422, "\(sibling) lies beside the data files but is not a model source's")
        }
        let many = "type: yaml\nincludedModels: [" + (0...100).map { "\"p\($0)\"" }.joined(separator: ", ") + "]\n"
        #expect(try await preview([("config", many), ("catalogData", data)]).status == 422)
        let long = "type: yaml\nexcludedModels: [\"" + String(repeating: "*a", count: 600) + "\"]\n"
        #expect(try await preview([("config", long), ("catalogData", data)]).status == 422)
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { laughs += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let bomb = try await preview([("config", "type: yaml\n"), ("catalogData", laughs + "models: *a9\n")])
        #expect(bomb.status == 422 && bomb.json["message"]?.stringValue?.contains("expands to more than") == true, "\(bomb.json)")

        #expect(try await preview([("catalogData", data)]).json["message"] == "config file is required")
        #expect(try await preview([("config", config)], query: "?filterStatus=some").status == 400)
        let untyped = try await preview([("config", "includedModels: [a]\n"), ("catalogData", data)])
        #expect(untyped.status == 422 && untyped.json["message"] == "invalid config: missing required field: type")
        #expect(try await preview([("config", "type: yaml\nincludedModels: [\" \"]\n"), ("catalogData", data)]).status == 422)
        #expect(try await preview([("config", "type: hf\n")]).status == 422)
        #expect(try await preview([("config", config), ("catalogData", "models: [")]).status == 422)
        let notForm = try await server.send("POST", Self.base + "/sources/preview", ["type": "yaml"])
        #expect(notForm.status == 400 && notForm.json["message"] == "the body must be multipart/form-data")
        func raw(_ body: String, type: String = "multipart/form-data; boundary=b") async throws -> HTTPResult {
            try await HTTPResult.fetch(
                URL(string: "http://127.0.0.1:\(server.port)\(Self.base)/sources/preview")!, method: "POST", body: Data(body.utf8),
                headers: ["Content-Type": type])
        }
        let part = "--b\r\nContent-Disposition: form-data; name=\"config\"\r\n\r\ntype: yaml\r\n"
        #expect(try await raw(part).status == 400, "no closing boundary")
        #expect(try await raw(part + "--b--\r\n", type: "multipart/form-data").status == 400, "no boundary parameter")
        #expect(try await raw(String(repeating: part, count: 17) + "--b--\r\n").status == 400, "too many parts")
        #expect(try await raw("--b\r\nX-Nothing: 1\r\n\r\nx\r\n--b--\r\n").status == 400, "a part without a name")
        let dashes = String(repeating: "-", count: 3_000_000)
        #expect(try await raw(dashes, type: "multipart/form-data; boundary=" + String(repeating: "-", count: 190) + "x").status == 400,
                "a body of dashes against a boundary of dashes is scanned once")
        try await server.stop()
    }
}

/// Data files a hostile or careless author wrote: numbers JSON cannot carry, names that look
/// like routes, lists of the wrong shape.
@Suite("Model catalog, hostile data")
struct ModelHostileDataTests {
    @Test func odditiesInDataFilesNeverBreakAnAnswer() async throws {
        let fixtures = try PluginFixtures("model-hostile")
        try await fixtures.addSwiftPlugin("ModelCatalog", as: "model.so")
        _ = try UpstreamSourcesTests.write("""
            models:
              - name: odd/infinite
                createTimeSinceEpoch: .inf
                customProperties:
                  score: .nan
                  speed: {metadataType: MetadataDoubleValue, double_value: .inf}
                  count: {metadataType: MetadataIntValue, int_value: 7}
                artifacts:
                  - artifactType: metrics-artifact
                    metricsType: performance-metrics
                    customProperties:
                      requests_per_second: {metadataType: MetadataDoubleValue, double_value: "inf"}
                      ttft_p90: {metadataType: MetadataDoubleValue, double_value: "nan"}
                      hardware_count: {metadataType: MetadataIntValue, int_value: "99999999999999999999"}
              - name: odd/artifacts
                artifacts: [{uri: "oci://x/y"}]
              - name: odd
                artifacts: []
              - name: odd/not-a-list
                artifacts: {uri: "oci://x/y"}
              - name: odd/typed
                tasks: text-generation
            """, "odd.yaml", in: fixtures.scratch)
        let sources = try UpstreamSourcesTests.write(
            "model_catalogs:\n  - {id: odd, name: Odd, type: yaml, properties: {yamlCatalogPath: odd.yaml}}\n", in: fixtures.scratch)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        let base = ModelContractTests.base
        for path in [
            "/models", "/models?orderBy=speed.double_value", "/models?orderBy=createTimeSinceEpoch&sortOrder=DESC&pageSize=1",
            "/models?recommendations=true&targetRPS=2147483647", "/models/filter_options", "/sources",
            "/sources/odd/models/odd%2Finfinite/artifacts/performance?targetRPS=999999999999&recommendations=true",
            "/sources/odd/models/odd/infinite/artifacts?orderBy=ttft_p90.double_value&pageSize=999999999",
        ] {
            let answer = try await server.get(base + path)
            #expect(answer.status == 200, "\(path): \(answer.status) \(answer.json)")
        }
        let infinite = try await server.get(base + "/sources/odd/models/odd/infinite")
        #expect(infinite.json["createTimeSinceEpoch"] == ".inf" && infinite.json["customProperties"]?["score"]?["string_value"] == ".nan",
                "non-finite YAML numbers stay text: \(infinite.json)")
        #expect(infinite.json["customProperties"]?["count"]?["int_value"] == "7", "an int_value written as a number is served as the contract's string")
        #expect(infinite.json["customProperties"]?["speed"] == ["metadataType": "MetadataStringValue", "string_value": ".inf"],
                "a double_value that is no number becomes a string value")
        let performance = try await server.get(base + "/sources/odd/models/odd%2Finfinite/artifacts/performance?targetRPS=10")
        let properties = performance.json["items"]?.arrayValue?.first?["customProperties"]
        #expect(properties?["hardware_count"] == ["metadataType": "MetadataStringValue", "string_value": "99999999999999999999"],
                "an int_value past nine digits is served as text, never breaking the contract's pattern")
        #expect(properties?["replicas"]?["int_value"] == "10")
        // A model named like the artifacts route: the route wins when the model before it exists.
        #expect(try await server.get(base + "/sources/odd/models/odd/artifacts").json["items"] == [], "odd's (empty) artifacts")
        let state = try await server.get(base + "/sources").json["items"]?.arrayValue?.first
        #expect(state?["status"] == "partially-available" && state?["error"]?.stringValue?.contains("odd/not-a-list") == true)
        #expect(state?["error"]?.stringValue?.contains("\"odd/typed\": tasks must be a list of strings") == true, "\(state?["error"] ?? "")")
        try await server.stop()
    }

    /// Path mode of the preview on a Kubernetes ConfigMap mount: the configured file is a symbolic
    /// link into `..data/`; a link that leads elsewhere is refused.
    @Test func previewReadsConfigMapMountsAndNothingElse() async throws {
        let fixtures = try PluginFixtures("model-configmap")
        try await fixtures.addSwiftPlugin("ModelCatalog", as: "model.so")
        let mount = fixtures.scratch.appendingPathComponent("catalog")
        let data = mount.appendingPathComponent("..2026_11_25/")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        _ = try UpstreamSourcesTests.write("models:\n  - {name: a/one}\n  - {name: b/two}\n", "models.yaml", in: data)
        try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent("..data").path, withDestinationPath: "..2026_11_25")
        try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent("models.yaml").path, withDestinationPath: "..data/models.yaml")
        try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent("escape.yaml").path, withDestinationPath: "/etc/hostname")
        let sources = try UpstreamSourcesTests.write(
            "model_catalogs:\n  - {id: cm, name: CM, type: yaml, properties: {yamlCatalogPath: models.yaml}}\n", in: mount)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        func preview(_ path: String) async throws -> HTTPResult {
            let (body, type) = ModelContractTests.form([("config", "type: yaml\nincludedModels: [\"a/*\"]\nproperties: {yamlCatalogPath: \(path)}\n")])
            return try await HTTPResult.fetch(
                URL(string: "http://127.0.0.1:\(server.port)\(ModelContractTests.base)/sources/preview")!, method: "POST", body: body,
                headers: ["Content-Type": type])
        }
        let mounted = try await preview("models.yaml")
        #expect(mounted.status == 200 && mounted.json["summary"] == ["totalModels": 2, "includedModels": 1, "excludedModels": 1], "\(mounted.json)")
        #expect(try await preview(data.appendingPathComponent("models.yaml").path).status == 200, "the resolved path is the same file")
        #expect(try await preview("escape.yaml").status == 422)
        #expect(try await preview("..data").status == 422)
        try await server.stop()
    }
}
