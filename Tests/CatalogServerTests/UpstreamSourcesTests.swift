import CatalogJSON
@testable import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// Upstream's `sources.yaml` (Kubeflow model-registry catalog) read as it is: its lists, labels,
/// named queries and pattern fields land in the sections of the model and MCP catalogs, its
/// mistakes are named with the file, and its files merge by upstream's rules.
@Suite("Upstream sources.yaml")
struct UpstreamSourcesTests {
    static func write(_ yaml: String, _ name: String = "sources.yaml", in directory: URL) throws -> String {
        let file = directory.appendingPathComponent(name)
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    static let upstream = """
        model_catalogs:
          - id: org
            name: Org models
            type: yaml
            labels: [Org]
            includedModels: ["org/*"]
            excludedModels: ["*-beta"]
            properties:
              yamlCatalogPath: data/models.yaml
              excludedModels: ["*-old"]
        catalogs:
          - {id: org, name: Legacy duplicate, type: yaml}
          - {id: legacy, name: Legacy models, type: yaml, properties: {yamlCatalogPath: /srv/legacy.yaml}}
        mcp_catalogs:
          - {id: tools, name: Tools, type: yaml, includedServers: ["*"], excludedServers: [" *-internal "], properties: {yamlCatalogPath: mcp.yaml}}
        labels:
          - {name: Org, displayName: Our organisation}
          - {name: Ops, displayName: Operations, assetType: mcp_servers}
        namedQueries:
          small: {size: {operator: IN, value: [7B, 13B]}}
          verified: {assetType: mcp_servers, filters: {verifiedSource: {operator: "=", value: true}}}

        """

    @Test func readsAnUpstreamFileAsItIs() throws {
        let directory = try TestPaths.temporaryDirectory("upstream-read")
        let file = try Self.write(Self.upstream, in: directory)
        let configuration = try SourcesConfiguration.load(paths: [file])
        let models = configuration.section(for: "models")
        #expect(models.sources.compactMap { $0["id"]?.stringValue } == ["org", "legacy"], "model_catalogs wins over catalogs on the same id")
        let org = try #require(models.sources.first)
        #expect(org["name"] == "Org models")
        #expect(org["includedItems"] == ["org/*"])
        #expect(org["excludedItems"] == ["*-beta", "*-old"], "the legacy properties.excludedModels joins excludedModels")
        #expect(org["properties"]?["yamlCatalogPath"] == .string(directory.appendingPathComponent("data/models.yaml").path))
        #expect(org["properties"]?["excludedModels"] == nil)
        // Every label reaches the model catalog, which answers /labels for all asset types.
        #expect(models.labels == [["name": "Org", "displayName": "Our organisation"], ["name": "Ops", "displayName": "Operations", "assetType": "mcp_servers"]])
        #expect(models.namedQueries["small"] == ["size": ["operator": "IN", "value": ["7B", "13B"]]])

        let mcp = configuration.section(for: "mcp")
        #expect(mcp.sources.first?["excludedItems"] == ["*-internal"], "patterns are trimmed")
        #expect(mcp.labels.arrayValue?.first?["name"] == "Ops")
        #expect(mcp.namedQueries["verified"] == ["verifiedSource": ["operator": "=", "value": true]])
    }

    @Test func upstreamMistakesAreNamedWithTheFile() throws {
        let directory = try TestPaths.temporaryDirectory("upstream-mistakes")
        for (yaml, message) in [
            ("model_catalogs: []\nserving_runtimes: []\n", "serving_runtimes is not a key of an upstream sources file"),
            ("model_catalogs:\n  - {name: x}\n", "model_catalogs[0] needs a non-empty string id"),
            ("model_catalogs:\n  - {id: a}\n  - {id: a}\n", "model_catalogs[1]: duplicate model catalog id \"a\""),
            ("model_catalogs: [{id: a}]\nmcp_catalogs: [{id: a}]\n", "id \"a\" is used by a model source and an MCP source"),
            ("model_catalogs:\n  - {id: a, includedModels: [\"\"]}\n", "model_catalogs[0].includedModels[0]: pattern cannot be empty"),
            ("model_catalogs:\n  - {id: a, includedServers: [x]}\n", "model_catalogs[0].includedServers is not a field of a source"),
            ("labels:\n  - {displayName: x}\n", "invalid label at index 0: missing required 'name' field"),
            ("labels:\n  - {name: a}\n  - {name: a}\n", "labels[1]: label \"a\" appears twice"),
            ("namedQueries:\n  q: {size: {operator: BETWEEN, value: 1}}\n", "namedQueries.q.size.operator must be one of"),
            ("namedQueries:\n  q: {size: {operator: \"=\", value: null}}\n", "namedQueries.q.size.value must not be null"),
            ("namedQueries:\n  q: {size: {operator: IN, value: 7B}}\n", "namedQueries.q.size.value must be a list for IN"),
            ("namedQueries:\n  q: {assetType: agents, filters: {a: {operator: \"=\", value: 1}}}\n", "namedQueries.q.assetType must be models or mcp_servers"),
            ("catalogs: {models: {}}\nmodel_catalogs: []\n", "use one format per file"),
        ] {
            let file = try Self.write(yaml, in: directory)
            do {
                _ = try SourcesConfiguration.load(paths: [file])
                Issue.record("accepted: \(yaml)")
            } catch {
                #expect("\(error)".contains(file), "\(error)")
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func upstreamFilesMergeByUpstreamsRules() throws {
        let directory = try TestPaths.temporaryDirectory("upstream-merge")
        let base = try Self.write("""
            model_catalogs:
              - {id: org, name: Org, type: yaml, labels: [Org], properties: {yamlCatalogPath: a.yaml, extra: x}}
            labels: [{name: Org}]
            namedQueries:
              q: {size: {operator: "=", value: 7B}, license: {operator: "=", value: mit}}
            """, "base.yaml", in: directory)
        let override = try Self.write("""
            model_catalogs:
              - {id: org, enabled: false, labels: [], properties: {yamlCatalogPath: b.yaml}}
            namedQueries:
              q: {size: {operator: "=", value: 13B}}
            """, "override.yaml", in: directory)
        let merged = try SourcesConfiguration.load(paths: [base, override]).section(for: "models")
        let org = try #require(merged.sources.first)
        #expect(org["name"] == "Org", "a field the later file leaves out stays")
        #expect(org["enabled"] == false, "an explicit false counts")
        #expect(org["labels"] == [], "an explicit empty list counts")
        #expect(org["properties"] == ["yamlCatalogPath": .string(directory.appendingPathComponent("b.yaml").path)], "properties are replaced whole")
        #expect(merged.namedQueries["q"] == ["size": ["operator": "=", "value": "13B"], "license": ["operator": "=", "value": "mit"]])

        let clash = try Self.write("labels: [{name: Org, displayName: Again}]\n", "clash.yaml", in: directory)
        #expect(throws: YAMLDocumentError.self) { try SourcesConfiguration.load(paths: [base, clash]) }
        do { _ = try SourcesConfiguration.load(paths: [base, clash]) } catch {
            #expect("\(error)".contains("clash.yaml") && "\(error)".contains("label with name 'Org' already exists"), "\(error)")
        }
    }

    /// Upstream keeps `properties.excludedModels` apart until every file is merged; a null is
    /// "not set"; the origin follows the properties.
    @Test func legacyExclusionsNullsAndOriginFollowUpstream() throws {
        let directory = try TestPaths.temporaryDirectory("upstream-legacy")
        let base = try Self.write("""
            model_catalogs:
              - {id: org, type: yaml, excludedModels: ["*-beta"], properties: {yamlCatalogPath: a.yaml, excludedModels: ["*-old"]}}
            """, "base.yaml", in: directory)
        let override = try Self.write("""
            model_catalogs:
              - {id: org, enabled: false, excludedModels: ["*-rc"]}
            """, "override.yaml", in: directory)
        let nulls = try Self.write("model_catalogs:\n  - {id: org, excludedModels: null, labels: null}\n", "nulls.yaml", in: directory)
        let org = try #require(try SourcesConfiguration.load(paths: [base, override, nulls]).section(for: "models").sources.first)
        #expect(org["excludedItems"] == ["*-rc", "*-old"], "the later list replaces the earlier one; the legacy list joins after merging")
        #expect(org["properties"] == ["yamlCatalogPath": .string(directory.appendingPathComponent("a.yaml").path)])
        #expect(org["origin"] == .string(base), "an override without properties leaves the origin where the properties came from")
        #expect(org["enabled"] == false)
    }

    @Test func upstreamAndCatalogServerFilesMixInOneList() throws {
        let directory = try TestPaths.temporaryDirectory("upstream-mixed")
        let ours = try Self.write("""
            catalogs:
              models:
                sources: [{id: org, name: Ours, type: yaml, properties: {yamlCatalogPath: ours.yaml}}]
            plugins:
              mcp: {maxConcurrentRequests: 8}
            """, "ours.yaml", in: directory)
        let theirs = try Self.write("model_catalogs:\n  - {id: org, includedModels: [\"a*\"]}\n  - {id: more, type: yaml}\n", "theirs.yaml", in: directory)
        let configuration = try SourcesConfiguration.load(paths: [ours, theirs])
        let sources = configuration.section(for: "models").sources
        #expect(sources.compactMap { $0["id"]?.stringValue } == ["org", "more"])
        #expect(sources.first?["name"] == "Ours")
        #expect(sources.first?["includedItems"] == ["a*"])
        #expect(configuration.plugins["mcp"]?.maxConcurrentRequests == 8)

        // The other way round: our overlay after an upstream file, merged by our rules.
        let overlay = try Self.write("catalogs:\n  models:\n    sources: [{id: more, name: Renamed}]\n", "overlay.yaml", in: directory)
        let reversed = try SourcesConfiguration.load(paths: [theirs, overlay]).section(for: "models").sources
        #expect(reversed.first { $0["id"] == "more" }?["name"] == "Renamed")
        #expect(reversed.first { $0["id"] == "more" }?["type"] == "yaml")
    }

    /// The shipped MCP catalog behind an upstream sources.yaml and an upstream data file
    /// (`mcp_servers:`), with upstream's pattern rules: `*` only, case ignored, exclusion wins.
    @Test func theShippedMCPCatalogServesAnUpstreamConfiguration() async throws {
        let fixtures = try PluginFixtures("upstream-e2e")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        _ = try Self.write("""
            mcp_servers:
              - {name: GitHub-Server, description: Code hosting, provider: GitHub}
              - {name: github-internal, description: Internal mirror, provider: Ops}
              - {name: jira-server, description: Tickets, provider: Atlassian}
              - {name: "what?", description: A literal question mark, provider: Ops}
              - {name: whats, description: Not matched by "what?", provider: Ops}
            """, "mcp.yaml", in: fixtures.scratch)
        let sources = try Self.write("""
            mcp_catalogs:
              - {id: tools, name: Tools, type: yaml, includedServers: ["github*", "what?"], excludedServers: ["*-INTERNAL"],
                 properties: {yamlCatalogPath: mcp.yaml}}
            labels: [{name: Ops, assetType: mcp_servers}]
            """, in: fixtures.scratch)
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
        let list = try await server.get("/api/mcp_catalog/v1alpha1/mcpservers")
        let names = list.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names == ["GitHub-Server", "what?"], "\(list.json)")
        let source = try await server.get("/api/mcp_catalog/v1alpha1/management/sources")
        #expect(source.json["sources"]?.arrayValue?.first?["status"]?["state"] == "available", "\(source.json)")
        try await server.stop()
    }
}
