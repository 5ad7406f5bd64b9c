import CatalogPluginSDK
import McpCatalog

/// The MCP catalog's `.so`: the one symbol the host looks up. The catalog itself is the
/// `McpCatalog` module, which tests link directly.
@_cdecl("catalog_plugin_register")
public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
    PluginExport.register(host: host, registrar: registrar) { [McpCatalog()] }
}
