import CatalogPluginSDKTesting
import Foundation
import Testing
import ToolsCatalog

/// The catalog in the test's own process: no .so, no server.
@Suite struct ToolsCatalogTests {
    static let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data/tools.yaml").path

    @Test func listsFiltersAndGets() async throws {
        let tester = try await PluginTester(ToolsCatalog(), configuration: [
            "sources": [["id": "local", "name": "Local tools", "type": "yaml", "properties": ["yamlCatalogPath": .string(Self.data)]]]
        ])
        let all = try await tester.request("/tools").json()
        #expect(all["size"] == 3)
        let slow = try await tester.request("/tools?filterQuery=timeoutSeconds%20%3E%2020&orderBy=timeoutSeconds").json()
        #expect(slow["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["sql-query", "run-python"])
        #expect(try await tester.request("/tools/web-search").json()["category"] == "search")
        #expect(await tester.request("/tools/missing").status == 404)
        #expect(try await tester.operation("sources.list").json()["sources"]?.arrayValue?.first?["status"]?["entityCount"] == 3)
        await tester.stop()
    }
}
