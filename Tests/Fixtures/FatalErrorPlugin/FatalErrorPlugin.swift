import CatalogPluginSDK

/// Test fixture: a Swift plugin that traps in `initialize`, as a force-unwrapped nil or a
/// `fatalError` in a real plugin would. The server must survive loading it.
final class FatalErrorPlugin: CatalogPlugin {
    let name = "fatal-error"
    let version = "v1"
    let description = "test fixture that calls fatalError in init"

    func initialize(_ context: PluginContext) async throws {
        fatalError("fixture: the configuration is impossible")
    }
}

@_cdecl("catalog_plugin_register")
public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
    PluginExport.register(host: host, registrar: registrar) { [FatalErrorPlugin()] }
}
