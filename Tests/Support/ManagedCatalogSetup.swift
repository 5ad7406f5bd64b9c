import CatalogJSON
import Foundation

/// A plugin directory with the MCP catalog, a configuration with one source `m` (the
/// reference data) and a data file for an extra source.
struct ManagedCatalogSetup {
    let fixtures: PluginFixtures
    let sources: URL
    let extraData: URL
    let state: URL

    init(_ label: String) async throws {
        fixtures = try PluginFixtures(label)
        try await fixtures.addSwiftPlugin("McpCatalog", as: "mcp.so")
        sources = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data("""
            catalogs:
              mcp:
                sources: [{id: m, name: Reference, type: yaml, properties: {yamlCatalogPath: \(TestPaths.referenceData.path)/mcp-servers.yaml}}]
            """.utf8).write(to: sources)
        extraData = fixtures.scratch.appendingPathComponent("extra.yaml")
        try Data("mcpservers:\n  - {name: extra-server, description: Added at run time, provider: Ops, toolCount: 1}\n".utf8).write(to: extraData)
        state = fixtures.scratch.appendingPathComponent("state")
    }

    func start() async throws -> TestServer {
        try await TestServer.start(pluginsDirectory: fixtures.directory, sources: [sources.path], stateDirectory: state)
    }

    var extraSource: JSONValue {
        ["id": "extra", "name": "Extra", "type": "yaml", "labels": ["ops"], "properties": ["yamlCatalogPath": .string(extraData.path)]]
    }
}
