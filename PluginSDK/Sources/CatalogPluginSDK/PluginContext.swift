import CCatalogPlugin
import Foundation

/// What a plugin receives in ``CatalogPlugin/initialize(_:)``.
public struct PluginContext: Sendable {
    /// The plugin's section of the merged `sources.yaml`.
    public var configuration: CatalogConfiguration
    /// Where the host mounts the plugin's routes, e.g. `/api/knowledge_catalog/v1alpha1`.
    public var basePath: String
    /// The configuration files, in merge order.
    public var configPaths: [String]
    /// Logs through the host's logger, tagged with the plugin's name.
    public var logger: PluginLogger

    /// A context as the host builds one in `init`; tests build their own (see
    /// `CatalogPluginSDKTesting`).
    ///
    /// - Parameters:
    ///   - configuration: The plugin's section of `sources.yaml`.
    ///   - basePath: Where its routes are mounted.
    ///   - configPaths: The configuration files, in merge order (relative data paths resolve against them).
    ///   - logger: Where the plugin's log lines go.
    public init(configuration: CatalogConfiguration, basePath: String, configPaths: [String] = [], logger: PluginLogger) {
        self.configuration = configuration
        self.basePath = basePath
        self.configPaths = configPaths
        self.logger = logger
    }
}

/// One plugin's section of `sources.yaml`.
///
/// ```yaml
/// catalogs:
///   tools:                  # the plugin's name, or its SourceKeyProvider.sourceKey
///     sources: [...]
///     labels: []
///     namedQueries: {}
///     settings: {refreshSeconds: 60}
/// ```
///
/// ```swift
/// let refresh = context.configuration.settings["refreshSeconds"]?.doubleValue ?? 300
/// ```
public struct CatalogConfiguration: Decodable, Sendable {
    /// The catalog's sources, in order, as merged from every configuration file.
    public var sources: [SourceConfiguration]
    /// The catalog's labels, as written (usually an array).
    public var labels: JSONValue
    /// The catalog's named queries: name → `{field: {operator, value}}` (see ``NamedQuery``).
    public var namedQueries: [String: JSONValue]
    /// The plugin's own settings, `catalogs.{key}.settings` in `sources.yaml`, as written.
    public var settings: [String: JSONValue]

    /// A section, e.g. for a test or for ``Reconfigurable/reconfigure(_:)``.
    ///
    /// - Parameters:
    ///   - sources: The catalog's sources.
    ///   - labels: The catalog's labels.
    ///   - namedQueries: The catalog's named queries.
    ///   - settings: The plugin's own settings.
    public init(
        sources: [SourceConfiguration] = [], labels: JSONValue = [], namedQueries: [String: JSONValue] = [:],
        settings: [String: JSONValue] = [:]
    ) {
        self.sources = sources
        self.labels = labels
        self.namedQueries = namedQueries
        self.settings = settings
    }

    /// Decodes a section as the host sends it; every member may be absent.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for a member of the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sources = try container.decodeIfPresent([SourceConfiguration].self, forKey: .sources) ?? []
        labels = try container.decodeIfPresent(JSONValue.self, forKey: .labels) ?? []
        namedQueries = try container.decodeIfPresent([String: JSONValue].self, forKey: .namedQueries) ?? [:]
        settings = try container.decodeIfPresent([String: JSONValue].self, forKey: .settings) ?? [:]
    }

    private enum CodingKeys: String, CodingKey {
        case sources, labels, namedQueries, settings
    }
}

/// One source of a catalog, as configured.
public struct SourceConfiguration: Decodable, Sendable {
    /// The source's id, unique within the catalog.
    public var id: String
    /// Its display name; the id when absent.
    public var name: String
    /// The provider type, e.g. `yaml`.
    public var type: String
    /// Absent means enabled.
    public var enabled: Bool
    /// The source's labels, e.g. `["Curated"]`: `sourceLabel` in list requests selects by them.
    public var labels: [String]
    /// Provider properties. Properties whose name ends in `Path` hold absolute paths.
    public var properties: [String: JSONValue]
    /// Globs on entity names: only matching entities are kept (all when empty)…
    public var includedItems: [String]
    /// …and then matching ones are dropped.
    public var excludedItems: [String]
    /// The configuration file that defined this source last.
    public var origin: String?

    /// Decodes a source as the host sends it: `id` is required, every other member may be
    /// absent (`name` then is the id, `type` empty, `enabled` true).
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` for a missing `id` or a member of the wrong type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? id
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        labels = try container.decodeIfPresent([String].self, forKey: .labels) ?? []
        properties = try container.decodeIfPresent([String: JSONValue].self, forKey: .properties) ?? [:]
        includedItems = try container.decodeIfPresent([String].self, forKey: .includedItems) ?? []
        excludedItems = try container.decodeIfPresent([String].self, forKey: .excludedItems) ?? []
        origin = try container.decodeIfPresent(String.self, forKey: .origin)
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, type, enabled, labels, properties, includedItems, excludedItems, origin
    }
}

/// Where a plugin's log lines go: the host's logger, tagged with the plugin's name (and, while
/// a request or operation runs, with its request id), or whatever a test gives.
///
/// ```swift
/// func initialize(_ context: PluginContext) async throws {
///     logger = context.logger                         // keep it for request handlers
///     context.logger.info("loaded \(count) tools")
/// }
/// ```
///
/// A line logged while a route handler or capability operation runs carries the request's
/// `request_id` in the server's log (ABI 1.3 `log_call`; older hosts log it without the id).
public struct PluginLogger: Sendable {
    /// How much a line matters.
    public enum Level: Sendable, Hashable {
        /// The six levels, from the most verbose to the most severe: `trace`, `debug`, `info`,
        /// `notice`, `warning`, `error`. The server's `--log-level` decides which are written.
        case trace, debug, info, notice, warning, error
    }

    private let write: @Sendable (Level, String) -> Void

    /// A logger that hands each line to `write`.
    ///
    /// - Parameter write: Receives the level and the message of each line, on the logging thread.
    public init(_ write: @escaping @Sendable (_ level: Level, _ message: String) -> Void) {
        self.write = write
    }

    /// The host's logger, through `handle`.
    init(host: HostConnection, handle: OpaquePointer?) {
        let handle = UnsafeSendableHandle(handle)
        self.init { level, message in host.log(handle.value, level.catalogLevel, message) }
    }

    /// Logs `message` at level `trace`.
    ///
    /// - Parameter message: The line.
    public func trace(_ message: String) { write(.trace, message) }
    /// Logs `message` at level `debug`.
    ///
    /// - Parameter message: The line.
    public func debug(_ message: String) { write(.debug, message) }
    /// Logs `message` at level `info`.
    ///
    /// - Parameter message: The line.
    public func info(_ message: String) { write(.info, message) }
    /// Logs `message` at level `notice`.
    ///
    /// - Parameter message: The line.
    public func notice(_ message: String) { write(.notice, message) }
    /// Logs `message` at level `warning`.
    ///
    /// - Parameter message: The line.
    public func warning(_ message: String) { write(.warning, message) }
    /// Logs `message` at level `error`.
    ///
    /// - Parameter message: The line.
    public func error(_ message: String) { write(.error, message) }
}

extension PluginLogger.Level {
    var catalogLevel: catalog_log_level {
        switch self {
        case .trace: CATALOG_LOG_TRACE
        case .debug: CATALOG_LOG_DEBUG
        case .info: CATALOG_LOG_INFO
        case .notice: CATALOG_LOG_NOTICE
        case .warning: CATALOG_LOG_WARNING
        case .error: CATALOG_LOG_ERROR
        }
    }
}

/// The host's plugin handle: valid until exit, and `host->log` takes it from any thread.
private struct UnsafeSendableHandle: @unchecked Sendable {
    let value: OpaquePointer?
    init(_ value: OpaquePointer?) { self.value = value }
}
