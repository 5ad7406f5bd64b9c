import CCatalogPlugin

/// Registers Swift plugins with the host: the body of a plugin's exported
/// `catalog_plugin_register` function.
///
/// ```swift
/// @_cdecl("catalog_plugin_register")
/// public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
///     PluginExport.register(host: host, registrar: registrar) { [MyCatalog()] }
/// }
/// ```
public enum PluginExport {
    /// The version of this SDK, reported to the host in every descriptor.
    public static let sdkVersion = "0.6.0"

    /// Checks the host's ABI version, then registers each plugin `makePlugins` returns.
    ///
    /// - Parameters:
    ///   - host: The host's function table, as `catalog_plugin_register` received it.
    ///   - registrar: The registrar, as `catalog_plugin_register` received it.
    ///   - makePlugins: Makes the plugins this image provides; called once.
    /// - Returns: `CATALOG_STATUS_OK`, or the status of the first refusal; the host records why.
    public static func register(
        host: UnsafePointer<catalog_host_api>?, registrar: OpaquePointer?, _ makePlugins: () -> [any CatalogPlugin]
    ) -> catalog_status {
        guard let host, let registrar else { return CATALOG_STATUS_INVALID_ARGUMENT }
        guard host.pointee.abi_major == CATALOG_ABI_MAJOR else {
            let message = "the plugin's Swift SDK implements catalog plugin ABI \(CATALOG_ABI_MAJOR).\(CATALOG_ABI_MINOR), "
                + "but the host implements ABI \(host.pointee.abi_major).\(host.pointee.abi_minor)"
            message.withCString { host.pointee.report_error(registrar, $0) }
            return CATALOG_STATUS_ABI_MISMATCH
        }
        let connection = HostConnection(api: host)
        for plugin in makePlugins() {
            let status = PluginBridge(plugin: plugin, host: connection).register(with: registrar)
            guard status == CATALOG_STATUS_OK else { return status }
        }
        return CATALOG_STATUS_OK
    }
}
