import CatalogPluginSDK

/// The agents catalog: agent definitions with their model configuration and references to
/// tools, knowledge, guardrails and policies, read from `agents:` lists.
public final class AgentsCatalog: EntityCatalogPlugin {
    /// The catalog, empty until the host (or a test) initialises it.
    public init() {}

    /// The plugin's name: its configuration section and its default base path.
    public let name = "agents"
    /// The plugin's version, part of its default base path.
    public let version = "v1alpha1"
    /// What the catalog holds, as /api/plugins shows it.
    public let description = "Agents: instructions, model configuration and the tools, knowledge and guardrails they use"
    /// The entity, its fields and the SDK engine that loads and serves it.
    public let engine = CatalogEngine(EntityDefinition(
        kind: "Agent", plural: "agents", displayName: "Agent", description: "An AI agent definition",
        catalogDisplayName: "Agents", icon: "robot", listKey: "agents",
        fields: [
            FieldDefinition("name", "Name", column: "lg"),
            FieldDefinition("description", "Description", detail: "Overview"),
            FieldDefinition("agentType", "Type", column: "md", detail: "Overview",
                            options: ["conversational", "task_oriented", "orchestrator", "router", "evaluator"]),
            FieldDefinition("category", "Category", column: "md"),
            FieldDefinition("version", "Version", column: "sm", detail: "Overview"),
            FieldDefinition("author", "Author", column: "md", detail: "Overview"),
            FieldDefinition("license", "License", detail: "Overview"),
            FieldDefinition("instructions", "Instructions", detail: "Behaviour", sortable: false),
            FieldDefinition("modelConfig", "Model configuration", type: .object, detail: "Model"),
            FieldDefinition("preferredModel", "Preferred model", path: "modelConfig.preferredModelRef", column: "md"),
            FieldDefinition("maxTokens", "Max tokens", type: .integer, path: "modelConfig.maxTokens"),
            FieldDefinition("temperature", "Temperature", type: .number, path: "modelConfig.temperature"),
            FieldDefinition("tools", "Tools", type: .object, detail: "References"),
            FieldDefinition("knowledge", "Knowledge", type: .object, detail: "References"),
            FieldDefinition("guardrails", "Guardrails", type: .object, detail: "References"),
            FieldDefinition("policies", "Policies", type: .object, detail: "References"),
            FieldDefinition("promptRefs", "Prompts", type: .object, detail: "References"),
            FieldDefinition("dependencies", "Dependencies", type: .object, detail: "References"),
            FieldDefinition("inputSchema", "Input schema", type: .object, detail: "Interface"),
            FieldDefinition("outputSchema", "Output schema", type: .object, detail: "Interface"),
            FieldDefinition("examples", "Examples", type: .object, detail: "Interface"),
            FieldDefinition("source_id", "Source", detail: "Provenance"),
        ]))
}
