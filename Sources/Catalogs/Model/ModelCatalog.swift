import CatalogPluginSDK

/// The model catalog: models with their artifacts and properties, read from the reference's
/// model files (`source:` and `models:`). Its configuration section is `catalogs.models`, and a
/// model's artifacts are served at `GET /models/{name}/artifacts`.
final class ModelCatalog: EntityCatalogPlugin, SourceKeyProvider, BasePathProvider {
    let name = "model"
    let version = "v1alpha1"
    let description = "Models: generative, embedding and predictive models with their artifacts"
    let sourceKey = "models"
    let basePath = "/api/model_catalog/v1alpha1"
    let engine = CatalogEngine(EntityDefinition(
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
        subresources: ["artifacts"]))
}

@_cdecl("catalog_plugin_register")
public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
    PluginExport.register(host: host, registrar: registrar) { [ModelCatalog()] }
}
