/// Handles one request to a declared route.
public typealias RouteHandler = @Sendable (PluginRequest) async throws -> PluginResponse

/// The routes a plugin declares, relative to its base path.
///
/// Patterns: literal segments, `{name}` for one segment, and a last segment `{name...}` for
/// the rest of the path, slashes included. Path parameters arrive percent-decoded.
public struct Routes: Sendable {
    struct Route: Sendable {
        var method: String
        var pattern: String
        var handler: RouteHandler
    }

    var routes: [Route] = []

    public init() {}

    public mutating func on(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, pattern: pattern, handler: handler))
    }

    public mutating func get(_ pattern: String, _ handler: @escaping RouteHandler) { on("GET", pattern, handler) }
    public mutating func post(_ pattern: String, _ handler: @escaping RouteHandler) { on("POST", pattern, handler) }
    public mutating func put(_ pattern: String, _ handler: @escaping RouteHandler) { on("PUT", pattern, handler) }
    public mutating func patch(_ pattern: String, _ handler: @escaping RouteHandler) { on("PATCH", pattern, handler) }
    public mutating func delete(_ pattern: String, _ handler: @escaping RouteHandler) { on("DELETE", pattern, handler) }
}
