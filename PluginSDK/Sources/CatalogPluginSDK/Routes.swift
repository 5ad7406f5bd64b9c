/// Handles one request to a declared route.
///
/// It runs as a Swift task; throw ``PluginError`` to answer with a status of your choice,
/// any other error answers 500 with its description.
public typealias RouteHandler = @Sendable (PluginRequest) async throws -> PluginResponse

/// The routes a plugin declares, relative to its base path.
///
/// Patterns: literal segments, `{name}` for one segment, and a last segment `{name...}` for
/// the rest of the path, slashes included. Path parameters arrive percent-decoded.
///
/// ```swift
/// func registerRoutes(_ routes: inout Routes) {
///     routes.get("/tools") { _ in .json(["items": []] as JSONValue) }
///     routes.get("/tools/{name...}") { request in
///         let name = try request.parameter("name")          // may contain "/"
///         guard let tool = tools[name] else { throw PluginError.notFound("tool \"\(name)\" not found") }
///         return .json(tool)
///     }
///     routes.post("/tools/{name}/runs") { request in
///         let run = try request.decodeBody(as: RunRequest.self)   // a malformed body is a 400
///         return .json(try await start(run), status: 201)
///     }
/// }
/// ```
public struct Routes: Sendable {
    /// One declared route.
    package struct Route: Sendable {
        package var method: String
        package var pattern: String
        package var handler: RouteHandler
    }

    /// The routes in declaration order; a route's index is its ABI route id.
    package var routes: [Route] = []

    /// An empty table; the SDK builds one for ``CatalogPlugin/registerRoutes(_:)``.
    public init() {}

    /// Declares a route.
    ///
    /// - Parameters:
    ///   - method: `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    ///   - pattern: The path relative to the base path, e.g. `/items/{name}`.
    ///   - handler: Answers the route's requests.
    public mutating func on(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, pattern: pattern, handler: handler))
    }

    /// Declares a `GET` route; see ``on(_:_:_:)``.
    ///
    /// - Parameters:
    ///   - pattern: The path relative to the base path, e.g. `/items/{name}`.
    ///   - handler: Answers the route's requests.
    public mutating func get(_ pattern: String, _ handler: @escaping RouteHandler) { on("GET", pattern, handler) }
    /// Declares a `POST` route; see ``on(_:_:_:)``.
    ///
    /// - Parameters:
    ///   - pattern: The path relative to the base path.
    ///   - handler: Answers the route's requests.
    public mutating func post(_ pattern: String, _ handler: @escaping RouteHandler) { on("POST", pattern, handler) }
    /// Declares a `PUT` route; see ``on(_:_:_:)``.
    ///
    /// - Parameters:
    ///   - pattern: The path relative to the base path.
    ///   - handler: Answers the route's requests.
    public mutating func put(_ pattern: String, _ handler: @escaping RouteHandler) { on("PUT", pattern, handler) }
    /// Declares a `PATCH` route; see ``on(_:_:_:)``.
    ///
    /// - Parameters:
    ///   - pattern: The path relative to the base path.
    ///   - handler: Answers the route's requests.
    public mutating func patch(_ pattern: String, _ handler: @escaping RouteHandler) { on("PATCH", pattern, handler) }
    /// Declares a `DELETE` route; see ``on(_:_:_:)``.
    ///
    /// - Parameters:
    ///   - pattern: The path relative to the base path.
    ///   - handler: Answers the route's requests.
    public mutating func delete(_ pattern: String, _ handler: @escaping RouteHandler) { on("DELETE", pattern, handler) }
}
