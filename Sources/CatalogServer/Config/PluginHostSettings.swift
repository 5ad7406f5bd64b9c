import CatalogJSON

/// Host-side settings of one plugin, from the top-level `plugins:` section of `sources.yaml`:
///
/// ```yaml
/// plugins:
///   mcp:
///     deadlines: {init: 60s, start: 60s, stop: 10s, request: 5s, operation: 10s}
///     maxConcurrentRequests: 64
///     isolation: process          # run in a worker process of its own
/// ```
///
/// Durations are numbers of seconds or strings such as `250ms`, `5s`, `2m`. The plugin never
/// sees this section; it configures how the host treats the plugin.
public struct PluginHostSettings: Sendable, Hashable {
    public var initDeadline: Duration?
    public var startDeadline: Duration?
    public var stopDeadline: Duration?
    public var requestDeadline: Duration?
    public var operationDeadline: Duration?
    /// Requests in flight at once; more answer 503 at once.
    public var maxConcurrentRequests: Int?
    /// Where the plugin runs.
    public var isolation: Isolation?

    /// Where a plugin runs.
    public enum Isolation: String, Sendable, Hashable {
        /// Loaded into the server process: fastest, but a crash takes the server down.
        case inProcess = "in-process"
        /// In a worker process of its own, restarted when it crashes.
        case process
    }

    public init() {}

    /// The deadlines `defaults` overridden by these settings.
    public func deadlines(over defaults: CallDeadlines) -> CallDeadlines {
        CallDeadlines(
            initialize: initDeadline ?? defaults.initialize, start: startDeadline ?? defaults.start,
            stop: stopDeadline ?? defaults.stop,
            request: requestDeadline ?? defaults.request, operation: operationDeadline ?? defaults.operation)
    }

    /// Later settings win field by field.
    mutating func merge(_ later: PluginHostSettings) {
        initDeadline = later.initDeadline ?? initDeadline
        startDeadline = later.startDeadline ?? startDeadline
        stopDeadline = later.stopDeadline ?? stopDeadline
        requestDeadline = later.requestDeadline ?? requestDeadline
        operationDeadline = later.operationDeadline ?? operationDeadline
        maxConcurrentRequests = later.maxConcurrentRequests ?? maxConcurrentRequests
        isolation = later.isolation ?? isolation
    }

    /// Parses one plugin's entry; `location` names it in errors.
    static func parse(_ value: JSONValue, location: String) throws(SettingsError) -> PluginHostSettings {
        guard let fields = value.objectValue else { throw SettingsError("\(location) must be a mapping") }
        var settings = PluginHostSettings()
        for (key, field) in fields {
            switch key {
            case "deadlines":
                guard let deadlines = field.objectValue else { throw SettingsError("\(location).deadlines must be a mapping") }
                for (call, duration) in deadlines {
                    let parsed = try parseDuration(duration, location: "\(location).deadlines.\(call)")
                    switch call {
                    case "init": settings.initDeadline = parsed
                    case "start": settings.startDeadline = parsed
                    case "stop": settings.stopDeadline = parsed
                    case "request": settings.requestDeadline = parsed
                    case "operation": settings.operationDeadline = parsed
                    default: throw SettingsError("\(location).deadlines.\(call) is not a deadline; use init, start, stop, request or operation")
                    }
                }
            case "maxConcurrentRequests":
                guard case .integer(let limit) = field, limit > 0 else {
                    throw SettingsError("\(location).maxConcurrentRequests must be a positive integer")
                }
                settings.maxConcurrentRequests = Int(limit)
            case "isolation":
                guard let isolation = field.stringValue.flatMap(Isolation.init(rawValue:)) else {
                    throw SettingsError("\(location).isolation must be in-process or process")
                }
                settings.isolation = isolation
            default:
                throw SettingsError("\(location).\(key) is not a plugin setting; use deadlines, maxConcurrentRequests or isolation")
            }
        }
        return settings
    }

    static func parseDuration(_ value: JSONValue, location: String) throws(SettingsError) -> Duration {
        if let seconds = value.doubleValue, seconds > 0 { return .milliseconds(Int64(seconds * 1000)) }
        if let text = value.stringValue {
            for (suffix, scale) in [("ms", 0.001), ("s", 1.0), ("m", 60.0)] where text.hasSuffix(suffix) {
                if let number = Double(text.dropLast(suffix.count)), number > 0 {
                    return .milliseconds(Int64(number * scale * 1000))
                }
            }
        }
        throw SettingsError("\(location) must be a positive duration such as 500ms, 5s or 2m")
    }

    struct SettingsError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
