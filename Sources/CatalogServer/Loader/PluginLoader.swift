import CCatalogPlugin
import Foundation
import Logging

/// What loading one plugin file produced: the plugins it registered, or why it was refused.
struct LoadedFile: Sendable {
    var file: String
    var descriptors: [PluginDescriptor]
    var failures: [LoadFailure]
}

/// Finds plugin files and loads them with `dlopen`, calling their registration symbol.
///
/// Loading runs plugin code (static constructors and `catalog_plugin_register`), so it runs
/// on a dedicated thread, never on an event loop or the concurrency pool. Images are never
/// closed: a Swift image cannot be unloaded safely, and a registered plugin's code must live
/// until exit.
struct PluginLoader: Sendable {
    let directory: String
    let logger: Logger

    /// The `*.so` files directly inside the directory, sorted by file name. A missing
    /// directory holds no plugins.
    func pluginFiles() throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
                logger.warning("plugin directory \(directory) does not exist; no plugins to load")
                return []
            }
            throw PluginDirectoryError(directory: directory, reason: "\(error)")
        }
        return names.filter { $0.hasSuffix(".so") }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Loads one file on a dedicated thread.
    func load(file: String) async -> LoadedFile {
        await onDedicatedThread { Self.loadBlocking(file: file) }
    }

    private static func loadBlocking(file: String) -> LoadedFile {
        func failed(_ stage: LoadStage, _ reason: String) -> LoadedFile {
            LoadedFile(file: file, descriptors: [], failures: [LoadFailure(file: file, stage: stage, reason: reason)])
        }
        guard let image = dlopen(file, RTLD_NOW | RTLD_LOCAL) else {
            return failed(.open, lastDynamicLinkerError() ?? "dlopen failed")
        }
        guard let symbol = dlsym(image, CATALOG_PLUGIN_REGISTER_SYMBOL) else {
            return failed(.symbol, "the file does not export \(CATALOG_PLUGIN_REGISTER_SYMBOL)"
                + (lastDynamicLinkerError().map { " (\($0))" } ?? ""))
        }
        let register = unsafeBitCast(symbol, to: catalog_plugin_register_fn.self)
        let registrar = Registrar(file: file)
        let status = register(HostAPI.table.pointer, registrar.retainedPointer())
        let registered = registrar.close()
        if status != CATALOG_STATUS_OK {
            let reason = registered.reportedError.map { "\(CATALOG_PLUGIN_REGISTER_SYMBOL) failed: \($0)" }
                ?? "\(CATALOG_PLUGIN_REGISTER_SYMBOL) returned status \(status) without a reason"
            // A refused descriptor usually explains the failed call better than the status does.
            let failures = registered.refusals.isEmpty
                ? [LoadFailure(file: file, stage: .register, reason: reason)] : registered.refusals
            return LoadedFile(file: file, descriptors: [], failures: failures)
        }
        if registered.accepted.isEmpty && registered.refusals.isEmpty {
            return failed(.register, "\(CATALOG_PLUGIN_REGISTER_SYMBOL) registered no plugin")
        }
        return LoadedFile(file: file, descriptors: registered.accepted, failures: registered.refusals)
    }

    private static func lastDynamicLinkerError() -> String? {
        dlerror().map { String(cString: $0) }
    }
}

/// The plugin directory exists but cannot be listed.
struct PluginDirectoryError: Error, CustomStringConvertible {
    var directory: String
    var reason: String
    var description: String { "cannot list plugin directory \(directory): \(reason)" }
}
