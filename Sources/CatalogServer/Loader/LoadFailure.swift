/// The step at which a plugin file or plugin was refused.
public enum LoadStage: String, Sendable, Codable, CaseIterable {
    /// The file or the plugin directory is writable by others, or owned by someone else.
    case permissions
    /// The file does not match the pins file (or is not in it).
    case pin
    /// Loading the file in a probe child crashed, hung or exited abnormally: quarantined.
    case probe
    /// `dlopen` failed: not an ELF file, wrong architecture, unresolved dependency, …
    case open
    /// The image does not export `catalog_plugin_register`.
    case symbol
    /// The plugin was built for an incompatible ABI version.
    case abi
    /// `catalog_plugin_register` failed or registered an invalid descriptor.
    case register
    /// Another file already registered a plugin with the same name.
    case duplicate
    /// The plugin's configuration, base path, `init` or routes failed.
    case `init`
    /// The plugin's `start` failed.
    case start
}

/// One plugin file or plugin the host skipped, and why.
public struct LoadFailure: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The plugin file, as found in the plugin directory.
    public var file: String
    public var stage: LoadStage
    /// A precise reason: the loader's error text, the plugin's own message, or the conflict.
    public var reason: String
    /// The plugin's name, when it got far enough to have one.
    public var plugin: String?

    public init(file: String, stage: LoadStage, reason: String, plugin: String? = nil) {
        self.file = file
        self.stage = stage
        self.reason = reason
        self.plugin = plugin
    }

    public var description: String {
        "\(file): \(stage.rawValue): \(plugin.map { "plugin \"\($0)\": " } ?? "")\(reason)"
    }
}
