import CatalogJSON
import CatalogPluginSDK
import CatalogPluginSDKTesting
import Foundation
import KnowledgeCatalog
import Testing

/// The knowledge catalog on its own, through `CatalogPluginSDKTesting`: no `.so`, no server.
@Suite("Knowledge catalog")
struct KnowledgeCatalogTests {
    static func start() async throws -> PluginTester {
        try await PluginTester(KnowledgeCatalog(), configuration: [
            "sources": [ShippedCatalogsTests.source("sample", "Sources/catalog-server/Defaults/data/knowledge-sources.yaml", extra: ["labels": ["Sample"]])]
        ])
    }

    @Test func listsFiltersAndGets() async throws {
        let tester = try await Self.start()
        let all = try await tester.request("/knowledgesources?pageSize=3").json()
        #expect(all["size"] == 7 && all["items"]?.arrayValue?.count == 3 && all["nextPageToken"] != nil)

        let vectors = try await tester.request("/knowledgesources?filterQuery=sourceType%3D%27vector_store%27").json()
        let names = vectors["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(names.contains("product-docs-embeddings") && !names.contains("engineering-handbook"))

        let bad = await tester.request("/knowledgesources?filterQuery=documentCount%20%3E")
        #expect(bad.status == 400)
        #expect(try bad.json()["error"]?.stringValue?.isEmpty == false, "the parser's message")

        let one = try await tester.request("/knowledgesources/engineering-handbook").json()
        #expect(one["documentCount"] == 420 && one["source_id"] == "sample")
        #expect(await tester.request("/knowledgesources/nope").status == 404)
        #expect(await tester.request("/knowledgesources", method: "POST").status == 404, "no such route")
        await tester.stop()
    }

    @Test func capabilityOperationsAndLogs() async throws {
        let tester = try await Self.start()
        #expect(tester.capabilities.contains("sources") && tester.capabilities.contains("capabilities.v2"))
        let sources = try await tester.operation("sources.list").json()
        #expect(sources["sources"]?.arrayValue?.first?["status"]?["entityCount"] == 7)
        let asset = try await tester.operation("assets.get", ["name": "incident-postmortems"]).json()
        #expect(asset["kind"] == "KnowledgeSource")
        #expect(await tester.operation("assets.get", ["name": "missing"]).status == 404)
        #expect(await tester.operation("no.such.operation").status == 404)
        let document = try await tester.operation("capabilities.v2.get").json()
        #expect(document["entities"]?.arrayValue?.first?["plural"] == "knowledgesources")
        #expect(tester.logs.contains { $0.level == .info && $0.message.contains("loaded knowledgesources from 1 source") }, "\(tester.logs)")
        await tester.stop()
    }

    /// A source whose file is missing puts the plugin's source in error and says so in its log.
    @Test func aMissingFileIsASourceInError() async throws {
        let tester = try await PluginTester(KnowledgeCatalog(), configuration: [
            "sources": [["id": "gone", "name": "Gone", "type": "yaml", "properties": ["yamlCatalogPath": "/nonexistent/knowledge.yaml"]]]
        ])
        let sources = try await tester.operation("sources.list").json()
        #expect(sources["sources"]?.arrayValue?.first?["status"]?["state"] == "error")
        #expect(tester.logs.contains { $0.level == .error && $0.message.contains("gone") })
        await tester.stop()
    }
}
