import Synchronization

/// The plugins the host knows, in registration order, addressable by name.
///
/// Names are unique: the first file to register a name wins.
public final class PluginRegistry: Sendable {
    private let plugins = Mutex<[HostedPlugin]>([])

    public init() {}

    /// Adds `plugin`, or explains which file already registered its name.
    func register(_ plugin: HostedPlugin) -> LoadFailure? {
        plugins.withLock { plugins in
            if let existing = plugins.first(where: { $0.name == plugin.name }) {
                return LoadFailure(
                    file: plugin.file, stage: .duplicate,
                    reason: "plugin name \"\(plugin.name)\" is already registered by \(existing.file); "
                        + "\(plugin.file) is skipped",
                    plugin: plugin.name)
            }
            plugins.append(plugin)
            return nil
        }
    }

    /// Every registered plugin, in registration order.
    public var all: [HostedPlugin] { plugins.withLock { $0 } }

    /// The plugin called `name`.
    public func plugin(named name: String) -> HostedPlugin? {
        plugins.withLock { $0.first { $0.name == name } }
    }
}
