import CatalogJSON
import Foundation
import Testing
@testable import CatalogTestSupport

/// The MCP endpoints of the Kubeflow catalog contract, on upstream-format configuration and data.
@Suite("MCP catalog, Kubeflow contract")
struct McpContractTests {
    static let base = "/api/mcp_catalog/v1alpha1"

    static func start() async throws -> TestServer {
        let fixtures = try PluginFixtures("mcp-contract")
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        _ = try UpstreamSourcesTests.write("""
            mcp_servers:
              - name: prometheus-mcp
                description: Metrics and alerts
                provider: Prometheus
                license: Apache-2.0
                toolCount: 3
                deploymentMode: remote
                endpoints: {http: "https://prometheus.example/mcp"}
                securityIndicators: {verifiedSource: true, sast: true}
                tools:
                  - {name: query_metrics, accessType: read_only, description: Run a PromQL query}
                  - {name: list_alerts, accessType: read_only}
                  - {name: silence_alert, accessType: read_write, parameters: [{name: id, type: string, required: true}]}
                customProperties:
                  tier: {metadataType: MetadataStringValue, string_value: gold}
              - name: jira-mcp
                description: Tickets
                provider: Atlassian
                license: MIT
                toolCount: 1
                deploymentMode: local
                securityIndicators: {verifiedSource: false}
                tools: [{name: create_issue, accessType: read_write}]
            """, "servers.yaml", in: fixtures.scratch)
        _ = try UpstreamSourcesTests.write("mcp_servers:\n  - {name: local-files, description: Files on disk, provider: Community}\n", "more.yaml", in: fixtures.scratch)
        let sources = try UpstreamSourcesTests.write("""
            mcp_catalogs:
              - {id: vendors, name: Vendors, type: yaml, labels: [Vendor], properties: {yamlCatalogPath: servers.yaml}}
              - {id: community, name: Community, type: yaml, properties: {yamlCatalogPath: more.yaml}}
            namedQueries:
              secure: {assetType: mcp_servers, filters: {verifiedSource: {operator: "=", value: true}, sast: {operator: "=", value: true}}}
              busiest: {assetType: mcp_servers, filters: {toolCount: {operator: ">=", value: max}}}
            """, in: fixtures.scratch)
        return try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources])
    }

    static func names(_ result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func listsServersAsTheContractSays() async throws {
        let server = try await Self.start()
        let all = try await server.get(Self.base + "/mcp_servers")
        #expect(all.status == 200)
        #expect(Self.names(all) == ["jira-mcp", "local-files", "prometheus-mcp"])
        #expect(all.json["size"] == 3 && all.json["pageSize"] == 100 && all.json["nextPageToken"] == "", "nextPageToken is \"\" on the last page")
        let first = try #require(all.json["items"]?.arrayValue?.first)
        #expect(first["id"] == "jira-mcp" && first["toolCount"] == 1 && first["tools"] == nil, "\(first)")

        let paged = try await server.get(Self.base + "/mcp_servers?pageSize=2&orderBy=NAME&sortOrder=DESC")
        #expect(Self.names(paged) == ["prometheus-mcp", "local-files"])
        let token = try #require(paged.json["nextPageToken"]?.stringValue)
        #expect(!token.isEmpty)
        let rest = try await server.get(Self.base + "/mcp_servers?pageSize=2&orderBy=NAME&sortOrder=DESC&nextPageToken=\(token)")
        #expect(Self.names(rest) == ["jira-mcp"])

        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?name=%25mcp")) == ["jira-mcp", "prometheus-mcp"])
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?q=atlassian")) == ["jira-mcp"], "q looks in provider")
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?sourceLabel=null")) == ["local-files"])
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?sourceLabel=Vendor,null")).count == 3)
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?filterQuery=verifiedSource%3Dtrue")) == ["prometheus-mcp"])
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?filterQuery=tier%3D%27gold%27")) == ["prometheus-mcp"], "a custom property by its bare name")
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers?namedQuery=secure")) == ["prometheus-mcp"])

        let withTools = try await server.get(Self.base + "/mcp_servers?includeTools=true&toolLimit=2&name=prometheus%25")
        #expect(withTools.json["items"]?.arrayValue?.first?["tools"]?.arrayValue?.count == 2)
        #expect(withTools.json["items"]?.arrayValue?.first?["toolCount"] == 3)

        for (query, mention) in [
            ("orderBy=name", "orderBy"), ("pageSize=0", "pageSize"), ("pageSize=01", "pageSize"), ("sortOrder=UP", "sortOrder"),
            ("toolLimit=101", "toolLimit"), ("namedQuery=nope", "namedQuery"), ("filterQuery=name%3D", "filterQuery"),
            ("nextPageToken=garbage", "nextPageToken"), ("name=" + String(repeating: "a", count: 1025), "name is longer"),
        ] {
            let bad = try await server.get(Self.base + "/mcp_servers?\(query)")
            #expect(bad.status == 400, "\(query)")
            #expect(bad.json["code"] == "400" && bad.json["message"]?.stringValue?.contains(mention) == true, "\(query): \(bad.json)")
        }
        try await server.stop()
    }

    @Test func getsServersAndTheirTools() async throws {
        let server = try await Self.start()
        let one = try await server.get(Self.base + "/mcp_servers/prometheus-mcp?includeTools=true")
        #expect(one.json["name"] == "prometheus-mcp" && one.json["tools"]?.arrayValue?.count == 3)
        let missing = try await server.get(Self.base + "/mcp_servers/nothing")
        #expect(missing.status == 404 && missing.json["code"] == "404" && missing.json["message"] != nil)

        let tools = try await server.get(Self.base + "/mcp_servers/prometheus-mcp/tools?pageSize=2")
        #expect(Self.names(tools) == ["list_alerts", "query_metrics"])
        #expect(tools.json["size"] == 2, "size counts the items of the page, as upstream's")
        let next = try #require(tools.json["nextPageToken"]?.stringValue)
        #expect(Self.names(try await server.get(Self.base + "/mcp_servers/prometheus-mcp/tools?pageSize=2&nextPageToken=\(next)")) == ["silence_alert"])
        let readOnly = try await server.get(Self.base + "/mcp_servers/prometheus-mcp/tools?filterQuery=accessType%3D%27read_only%27%20AND%20name%20ILIKE%20%27%25LIST%25%27")
        #expect(Self.names(readOnly) == ["list_alerts"])

        let tool = try await server.get(Self.base + "/mcp_servers/prometheus-mcp/tools/silence_alert")
        #expect(tool.json["serverId"] == "prometheus-mcp" && tool.json["serverName"] == "prometheus-mcp")
        #expect(tool.json["tool"]?["accessType"] == "read_write")
        #expect(try await server.get(Self.base + "/mcp_servers/prometheus-mcp/tools/nope").status == 404)
        try await server.stop()
    }

    @Test func filterOptionsListValuesRangesAndNamedQueries() async throws {
        let server = try await Self.start()
        let options = try await server.get(Self.base + "/mcp_servers/filter_options")
        #expect(options.status == 200)
        #expect(options.json["filters"]?["provider"] == ["type": "string", "values": ["Atlassian", "Community", "Prometheus"]])
        #expect(options.json["filters"]?["license"]?["values"] == ["Apache-2.0", "MIT"])
        #expect(options.json["namedQueries"]?["secure"]?["verifiedSource"] == ["operator": "=", "value": true])
        #expect(options.json["filters"]?["toolCount"] == ["type": "number", "range": ["min": 1, "max": 3]])
        #expect(options.json["namedQueries"]?["busiest"]?["toolCount"] == ["operator": ">=", "value": 3], "max is resolved to the range")
        // Our own routes stay.
        #expect(try await server.get(Self.base + "/mcpservers").json["size"] == 3)
        try await server.stop()
    }
}
