import CatalogPluginSDK

/// A catalog of tools that agents may call, read from `tools:` lists in YAML files: lists with
/// filters, sorting and paging, get by name, sources, the capabilities document, management —
/// all from the SDK's `CatalogEngine`. Mounted at `/api/tools_catalog/v1alpha1`.
public final class ToolsCatalog: EntityCatalogPlugin {
    public init() {}

    public let name = "tools"
    public let version = "v1alpha1"
    public let description = "Tools available to agents"
    public let engine = CatalogEngine(EntityDefinition(
        kind: "Tool", plural: "tools", displayName: "Tool", description: "A function an agent can call",
        catalogDisplayName: "Tools", icon: "wrench", listKey: "tools",
        fields: [
            FieldDefinition("name", "Name", column: "lg"),
            FieldDefinition("description", "Description", detail: "Overview"),
            FieldDefinition("category", "Category", column: "md", options: ["search", "code", "data"]),
            FieldDefinition("timeoutSeconds", "Timeout (s)", type: .integer, column: "sm", detail: "Limits"),
            FieldDefinition("source_id", "Source", detail: "Provenance"),
        ]))
}

/// The one symbol the server looks up in the .so.
@_cdecl("catalog_plugin_register")
public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
    PluginExport.register(host: host, registrar: registrar) { [ToolsCatalog()] }
}
