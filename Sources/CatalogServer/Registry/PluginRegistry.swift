import Synchronization

/// The plugins the host knows, in the order of their files' names, addressable by name.
///
/// Names are unique: the file that registers a name first keeps it (files load concurrently).
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
