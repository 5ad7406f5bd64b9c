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

    /// Logs a plugin's message with its plugin's logger (the anonymous one without a handle),
    /// tagged with the request id of the call it is about, if any. A message below the
    /// logger's level costs nothing more: a plugin may log every request at `debug`.
    static func log(
        _ handle: OpaquePointer?, level: catalog_log_level, _ message: @autoclosure () -> String, requestID: @autoclosure () -> String?
    ) {
        var logger = handle.map { from($0).logger } ?? anonymousLogger
        let level = Logger.Level(catalogLevel: level)
        guard level >= logger.logLevel else { return }
        if let requestID = requestID() { logger[metadataKey: RequestID.metadataKey] = .string(requestID) }
        logger.log(level: level, "\(message())")
    }
}
