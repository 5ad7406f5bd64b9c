import CatalogPluginSDK

/// The knowledge-source catalog: vector stores, document collections and graphs that agents
/// retrieve from, read from `knowledgesources:` lists.
public final class KnowledgeCatalog: EntityCatalogPlugin {
    /// The catalog, empty until the host (or a test) initialises it.
    public init() {}

    /// The plugin's name: its configuration section and its default base path.
    public let name = "knowledge"
    /// The plugin's version, part of its default base path.
    public let version = "v1alpha1"
    /// What the catalog holds, as /api/plugins shows it.
    public let description = "Knowledge sources: vector stores, document collections and graphs for retrieval"
    /// The entity, its fields and the SDK engine that loads and serves it.
    public let engine = CatalogEngine(EntityDefinition(
        kind: "KnowledgeSource", plural: "knowledgesources", displayName: "Knowledge Source",
        description: "A store of documents, embeddings or facts that agents retrieve from",
        catalogDisplayName: "Knowledge Sources", icon: "database", listKey: "knowledgesources",
        fields: [
            FieldDefinition("name", "Name", column: "lg"),
            FieldDefinition("description", "Description", detail: "Overview"),
            FieldDefinition("sourceType", "Type", column: "md", detail: "Overview",
                            options: ["document", "vector_store", "url", "graph_store"]),
            FieldDefinition("provider", "Provider", column: "md", detail: "Overview"),
            FieldDefinition("status", "Status", column: "sm", options: ["active", "archived"]),
            FieldDefinition("documentCount", "Documents", type: .integer, column: "sm", detail: "Overview"),
            FieldDefinition("location", "Location", detail: "Access"),
            FieldDefinition("contentType", "Content type", detail: "Access"),
            FieldDefinition("vectorDimensions", "Vector dimensions", type: .integer, detail: "Index"),
            FieldDefinition("indexType", "Index type", detail: "Index"),
            FieldDefinition("source_id", "Source", detail: "Provenance"),
        ]))
}
