import AgentsCatalog
import CatalogJSON
@testable import CatalogPluginSDK
import CatalogPluginSDKTesting
import Foundation
import McpCatalog
import ModelCatalog
import Testing

/// The agents, MCP and model catalogs on their own, through `CatalogPluginSDKTesting`: their
/// own routes and the Kubeflow contract's, with no `.so` and no server.
@Suite("Shipped catalogs in-process")
struct ShippedCatalogsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func source(_ id: String, _ relativePath: String, extra: [String: JSONValue] = [:]) -> JSONValue {
        .object(["id": .string(id), "name": .string(id), "type": "yaml",
                 "properties": ["yamlCatalogPath": .string(root.appendingPathComponent(relativePath).path)]].merging(extra) { _, given in given })
    }

    @Test func agentsListAndOrderByAFieldPath() async throws {
        let tester = try await PluginTester(AgentsCatalog(), configuration: ["sources": [Self.source("sample", "Sources/catalog-server/Defaults/data/agents.yaml")]])
        #expect(try await tester.request("/agents?pageSize=100").json()["size"] == 11)
        let byModel = try await tester.request("/agents?orderBy=modelConfig.preferredModelRef&pageSize=1").json()
        #expect(byModel["items"]?.arrayValue?.count == 1, "a field's path orders like its name")
        #expect(try await tester.request("/agents/helpdesk-agent").json()["agentType"] == "conversational")
        await tester.stop()
    }

    @Test func mcpServersOwnAndContractLists() async throws {
        let tester = try await PluginTester(McpCatalog(), configuration: ["sources": [Self.source("sample", "Sources/catalog-server/Defaults/data/mcp-servers.yaml")]])
        #expect(try await tester.request("/mcpservers?pageSize=100").json()["size"] == 11)
        let local = try await tester.request("/mcpservers?filterQuery=" + "deploymentMode='local'".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).json()
        #expect((local["items"]?.arrayValue ?? []).allSatisfy { $0["deploymentMode"] == "local" } && local["size"] != 0)
        let contract = try await tester.request("/mcp_servers?pageSize=5").json()
        #expect(contract["items"]?.arrayValue?.count == 5 && contract["nextPageToken"] != nil, "the contract's offset paging")
        #expect(await tester.request("/mcp_servers/no-such-server").status == 404)
        await tester.stop()
    }

    @Test func modelsContractListAndNamesWithSlashes() async throws {
        let tester = try await PluginTester(ModelCatalog(), configuration: ["sources": [
            Self.source("org", "Tests/Contract/models-org.yaml", extra: ["labels": ["Org"]]),
            Self.source("community", "Tests/Contract/models-community.yaml"),
        ]])
        let org = try await tester.request("/models?source=org").json()
        #expect(org["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.sorted() == ["acme/granite-8b", "acme/tiny-1b", "shared/llama-7b"])
        let model = try await tester.request("/sources/org/models/acme/granite-8b").json()
        #expect(model["name"] == "acme/granite-8b" && model["source_id"] == "org")
        let artifacts = try await tester.request("/sources/org/models/acme%2Fgranite-8b/artifacts").json()
        #expect((artifacts["items"]?.arrayValue?.count ?? 0) > 1, "a name percent-encoded reaches its artifacts")
        #expect(await tester.request("/models?source=org&sourceLabel=Org").status == 400, "source and sourceLabel together, as upstream")
        await tester.stop()
    }

    /// The engine's list and get answer from entity JSON encoded once per snapshot: byte for
    /// byte what encoding the page (``CatalogEngine/list(_:)``) or the entity writes, on every
    /// page, the first (encoding) and the second time (from the cache).
    @Test func assembledAnswersAreTheEncodedOnes() async throws {
        let catalog = McpCatalog()
        let tester = try await PluginTester(catalog, configuration: ["sources": [Self.source("sample", "Sources/catalog-server/Defaults/data/mcp-servers.yaml")]])
        for _ in 0..<2 {
            var token: String?
            repeat {
                var items: [(name: String, value: String)] = [("pageSize", "4"), ("orderBy", "name"), ("sortOrder", "DESC")]
                if let token { items.append(("pageToken", token)) }
                let query = items.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
                let answer = await tester.request("/mcpservers?" + query)
                let page = try catalog.engine.list(PluginRequest(queryItems: items))
                let encoded = Array(try JSONCoding.encode(page))
                #expect(answer.status == 200 && answer.body == encoded, "\(query)")
                token = page.nextPageToken
            } while token != nil
        }
        let name = try #require(catalog.engine.snapshot.entities.first?["name"]?.stringValue)
        let entity = try #require(catalog.engine.entity(named: name))
        for _ in 0..<2 {
            let encoded = Array(try JSONCoding.encode(catalog.engine.served(entity)))
            #expect(await tester.request("/mcpservers/\(name)").body == encoded)
        }
        await tester.stop()
    }
}
