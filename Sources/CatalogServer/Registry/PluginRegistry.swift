import Synchronization

/// The plugins the host knows, in the order of their files' names, addressable by name.
///
/// Names are unique: a second plugin with a name already registered is refused (and the host
/// then takes the first one out of service too; see ``PluginHost/register(_:)``).
public final class PluginRegistry: Sendable {
    private let plugins = Mutex<[HostedPlugin]>([])

    public init() {}

    /// Adds `plugin`, or returns the plugin that already has its name.
    func register(_ plugin: HostedPlugin) -> HostedPlugin? {
        plugins.withLock { plugins in
            if let existing = plugins.first(where: { $0.name == plugin.name }) { return existing }
            // Kept in file-name order (then registration order), whatever order the files load in.
            let index = plugins.firstIndex { $0.file > plugin.file } ?? plugins.endIndex
            plugins.insert(plugin, at: index)
            return nil
        }
    }

    /// Every registered plugin, by file name, then in the order each file registered them.
    public var all: [HostedPlugin] { plugins.withLock { $0 } }

    /// The plugin called `name`.
    public func plugin(named name: String) -> HostedPlugin? {
        plugins.withLock { $0.first { $0.name == name } }
    }
}
