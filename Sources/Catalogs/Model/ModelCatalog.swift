import CatalogPluginSDK

/// The model catalog: models with their artifacts and properties, read from upstream's model
/// data files (`source:` and `models:`). Its configuration section is `catalogs.models`. It
/// answers the Kubeflow contract's model routes (``ModelsAPI``), and its own
/// `GET /models/{name}` and `GET /models/{name}/artifacts`, which find a name in the earliest
/// source that has it.
public final class ModelCatalog: EntityCatalogPlugin, SourceKeyProvider, BasePathProvider {
    /// The catalog, empty until the host (or a test) initialises it.
    public init() {}

    /// The plugin's name: its configuration section and its default base path.
    public let name = "model"
    /// The plugin's version, part of its default base path.
    public let version = "v1alpha1"
    /// What the catalog holds, as /api/plugins shows it.
    public let description = "Models: generative, embedding and predictive models with their artifacts"
    /// The configuration section this catalog reads (upstream's name for it).
    public let sourceKey = "models"
    /// Where the routes are mounted (upstream's path).
    public let basePath = "/api/model_catalog/v1alpha1"
    /// The entity, its fields and the SDK engine that loads and serves it.
    public let engine = CatalogEngine(EntityDefinition(
        kind: "CatalogModel", plural: "models", displayName: "Model", description: "A machine-learning model",
        catalogDisplayName: "Models", icon: "cube", listKey: "models",
        fields: [
            FieldDefinition("name", "Name", column: "lg"),
            FieldDefinition("description", "Description", detail: "Overview"),
            FieldDefinition("provider", "Provider", column: "md", detail: "Overview"),
            FieldDefinition("license", "License", column: "sm", detail: "Overview"),
            FieldDefinition("licenseLink", "License link", detail: "Overview", filterable: false),
            FieldDefinition("maturity", "Maturity", column: "sm", detail: "Overview"),
            FieldDefinition("libraryName", "Library", detail: "Overview"),
            FieldDefinition("tasks", "Tasks", type: .list, column: "md", detail: "Overview"),
            FieldDefinition("language", "Languages", type: .list, detail: "Overview"),
            FieldDefinition("createTimeSinceEpoch", "Created", type: .timestamp, detail: "Provenance"),
            FieldDefinition("lastUpdateTimeSinceEpoch", "Updated", type: .timestamp, column: "sm", detail: "Provenance"),
            FieldDefinition("readme", "Readme", detail: "Readme", sortable: false, filterable: false),
            FieldDefinition("logo", "Logo", sortable: false, filterable: false),
            FieldDefinition("customProperties", "Properties", type: .object, detail: "Properties"),
            FieldDefinition("source_id", "Source", detail: "Provenance"),
        ],
        subresources: ["artifacts"], nameScope: .source, check: ModelData.check))

    /// The contract's model routes, and the engine's own but its list (`GET /models` is the contract's).
    public func registerRoutes(_ routes: inout Routes) {
        engine.registerRoutes(&routes, listing: false)
        ModelsAPI(engine: engine).register(&routes)
    }
}
