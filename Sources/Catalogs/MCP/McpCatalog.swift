import CatalogPluginSDK

/// The MCP-server catalog: Model Context Protocol servers and what they offer, read from
/// `mcpservers:` lists (or upstream's `mcp_servers:`).
public final class McpCatalog: EntityCatalogPlugin {
    /// The catalog, empty until the host (or a test) initialises it.
    public init() {}

    /// The plugin's name: its configuration section and its default base path.
    public let name = "mcp"
    /// The plugin's version, part of its default base path.
    public let version = "v1alpha1"
    /// What the catalog holds, as /api/plugins shows it.
    public let description = "MCP servers: tools, resources and prompts for agents over the Model Context Protocol"
    /// The entity, its fields and the SDK engine that loads and serves it.
    public let engine = CatalogEngine(EntityDefinition(
        kind: "McpServer", plural: "mcpservers", displayName: "MCP Server",
        description: "A Model Context Protocol server", catalogDisplayName: "MCP Servers", icon: "server",
        listKey: "mcpservers", listKeyAliases: ["mcp_servers"],
        fields: [
            FieldDefinition("name", "Name", column: "lg"),
            FieldDefinition("description", "Description", detail: "Overview"),
            FieldDefinition("provider", "Provider", column: "md", detail: "Overview"),
            FieldDefinition("category", "Category", column: "md"),
            FieldDefinition("license", "License", column: "sm", detail: "Overview"),
            FieldDefinition("transportType", "Transport", column: "sm", detail: "Connection", options: ["stdio", "http", "sse"]),
            FieldDefinition("deploymentMode", "Deployment", detail: "Connection", options: ["local", "remote"]),
            FieldDefinition("supportedTransports", "Supported transports", detail: "Connection"),
            FieldDefinition("serverUrl", "Server URL", detail: "Connection"),
            FieldDefinition("endpoint", "Endpoint", detail: "Connection"),
            FieldDefinition("image", "Image", detail: "Connection"),
            FieldDefinition("verified", "Verified", type: .boolean, column: "sm"),
            FieldDefinition("certified", "Certified", type: .boolean, column: "sm"),
            FieldDefinition("toolCount", "Tools", type: .integer, column: "sm", detail: "Capabilities"),
            FieldDefinition("resourceCount", "Resources", type: .integer, detail: "Capabilities"),
            FieldDefinition("promptCount", "Prompts", type: .integer, detail: "Capabilities"),
            // Not shown (the sample servers have none), but filterable: a bare name in a
            // filterQuery is a custom property, as upstream reads it.
            FieldDefinition("customProperties", "Properties", type: .object),
            // Upstream's flat names for the security indicators of its data files.
            FieldDefinition("verifiedSource", "Verified source", type: .boolean, path: "securityIndicators.verifiedSource"),
            FieldDefinition("secureEndpoint", "Secure endpoint", type: .boolean, path: "securityIndicators.secureEndpoint"),
            FieldDefinition("sast", "Static analysis", type: .boolean, path: "securityIndicators.sast"),
            FieldDefinition("readOnlyTools", "Read-only tools", type: .boolean, path: "securityIndicators.readOnlyTools"),
            FieldDefinition("source_id", "Source", detail: "Provenance"),
        ],
        assetType: "mcp_servers"))

    /// The catalog's own routes, and the Kubeflow contract's `/mcp_servers` ones.
    public func registerRoutes(_ routes: inout Routes) {
        engine.registerRoutes(&routes)
        McpServersAPI(engine: engine).register(&routes)
    }
}
