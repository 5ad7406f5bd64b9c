import CCatalogPlugin
import Logging

/// The host object behind a `catalog_plugin_handle`: what host services need to know about
/// the plugin calling them. Handles are never freed, as the header promises.
final class PluginHandle: Sendable {
    /// Logger for messages logged without a handle (during registration).
    static let anonymousLogger = Logger(label: "catalog.plugin")

    let logger: Logger

    init(pluginName: String, file: String) {
        var logger = Logger(label: "catalog.plugin.\(pluginName)")
        logger[metadataKey: "plugin"] = "\(pluginName)"
        logger[metadataKey: "file"] = "\(file)"
        self.logger = logger
    }

    /// A pointer for the plugin, valid until process exit.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func from(_ pointer: OpaquePointer) -> PluginHandle {
        Unmanaged<PluginHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    func log(level: catalog_log_level, _ message: String) {
        logger.log(level: Logger.Level(catalogLevel: level), "\(message)")
    }
}
