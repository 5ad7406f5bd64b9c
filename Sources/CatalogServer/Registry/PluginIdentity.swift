/// Who a plugin says it is: what the registry, the HTTP layer and the listings need, whether
/// the plugin runs in this process or in a worker.
public struct PluginIdentity: Sendable, Codable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    /// The plugin's own base path, when it chose one.
    public var basePath: String?
    /// The plugin's configuration key, when it is not its name.
    public var sourceKey: String?
    public var capabilities: [String]
    public var abiVersion: String
    public var sdkVersion: String?
    /// For a Swift plugin, the Swift compiler `MAJOR.MINOR` that built it.
    public var swiftVersion: String?

    /// Whether the plugin offers the capability `id`.
    public func offers(_ id: String) -> Bool { capabilities.contains(id) }
}
