import CatalogJSON
import Synchronization

/// A plugin the host registered, with its lifecycle state.
public final class HostedPlugin: Sendable {
    let descriptor: PluginDescriptor
    /// The file that registered it.
    public let file: String
    let handle: PluginHandle

    public var name: String { descriptor.name }
    public var version: String { descriptor.version }
    public var description: String { descriptor.description }
    /// The configuration section key: the plugin's source key, else its name.
    public var configKey: String { descriptor.sourceKey ?? descriptor.name }
    /// The base path: the plugin's own, else `/api/{name}_catalog/{version}`.
    public var basePath: String { descriptor.basePath ?? "/api/\(descriptor.name)_catalog/\(descriptor.version)" }

    private let state = Mutex(PluginState())

    init(descriptor: PluginDescriptor, file: String) {
        self.descriptor = descriptor
        self.file = file
        self.handle = PluginHandle(pluginName: descriptor.name, file: file)
    }

    /// A snapshot of the lifecycle state.
    public var currentState: PluginState { state.withLock { $0 } }

    func updateState(_ update: (inout PluginState) -> Void) {
        state.withLock { update(&$0) }
    }

    /// Initialized, serving and reporting itself healthy.
    public var isHealthy: Bool {
        let snapshot = currentState
        return snapshot.initialized && snapshot.serving && snapshot.lastError == nil && descriptor.healthy()
    }
}

/// Where a plugin is in its lifecycle.
public struct PluginState: Sendable {
    public var initialized = false
    /// Routes mounted and `start` succeeded.
    public var serving = false
    public var lastError: String?
    /// The capabilities V2 document, fetched after start when the plugin offers one.
    public var capabilitiesDocument: JSONValue?
}
