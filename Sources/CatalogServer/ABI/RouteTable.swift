import CCatalogPlugin
import Synchronization

/// One route a plugin declared, relative to its base path.
struct PluginRoute: Sendable, Hashable, Codable {
    /// Upper-case HTTP method.
    var method: String
    /// The pattern as the plugin wrote it, e.g. `/items/{name}`.
    var pattern: String
    var routeID: UInt32
    /// The pattern in the router's syntax: `{name}` captures a segment, `**` the rest.
    var routerPattern: String
    /// The parameter that receives the rest of the path, for a pattern ending in `{name...}`.
    var remainderParameter: String?

    /// The router pattern without parameter names: two routes of one shape match the same requests.
    var shape: String { Self.shape(of: routerPattern) }

    /// `path` with every `{parameter}` segment as `{}`, e.g. `/a/{name...}` → `/a/{}`.
    ///
    /// - Parameter path: A route pattern or path template.
    static func shape(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") ? "{}" : $0 }.joined(separator: "/")
    }
}

/// The host object behind a `catalog_route_table`: collects and validates the routes one
/// plugin declares in `register_routes`. Tables are never freed (see ``Registrar``).
final class RouteTable: Sendable {
    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    /// Routes one plugin may declare.
    static let maximumRoutes = 1024
    /// Characters in one route pattern.
    static let maximumPatternLength = 1024

    private struct State {
        var isOpen = true
        var routes: [PluginRoute] = []
        /// The first pattern declared for each method and shape, to find routes that match the same requests.
        var patternsByShape: [String: String] = [:]
        var errors: [String] = []
        /// Kept to the first few: a plugin may call add_route without end.
        mutating func note(_ error: String) {
            if errors.count < 20 { errors.append(error) }
        }
    }

    private let state = Mutex(State())

    init() {}

    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func from(_ pointer: OpaquePointer) -> RouteTable {
        Unmanaged<RouteTable>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// Ends route registration and returns the routes and the reasons of refused ones.
    func close() -> (routes: [PluginRoute], errors: [String]) {
        state.withLock { state in
            state.isOpen = false
            return (state.routes, state.errors)
        }
    }

    /// `host->add_route`.
    func add(method: String?, pattern: String?, routeID: UInt32) -> catalog_status {
        let method = method?.uppercased() ?? ""
        let pattern = pattern ?? ""
        let result: Result<PluginRoute, RouteError> = pattern.utf8.count > Self.maximumPatternLength
            ? .failure(RouteError(reason: "pattern is longer than \(Self.maximumPatternLength) bytes"))
            : Self.parse(method: method, pattern: pattern, routeID: routeID)
        return state.withLock { state in
            guard state.isOpen else {
                state.note("add_route(\(method) \(pattern.prefix(100))) was called after register_routes returned")
                return CATALOG_STATUS_INVALID_ARGUMENT
            }
            guard state.routes.count < Self.maximumRoutes else {
                let tooMany = "more than \(Self.maximumRoutes) routes declared"
                if !state.errors.contains(tooMany) { state.note(tooMany) }
                return CATALOG_STATUS_INVALID_ARGUMENT
            }
            switch result {
            case .success(let route):
                let key = route.method + " " + route.shape
                if let existing = state.patternsByShape[key] {
                    state.note("route \(method) \(pattern.prefix(100)) matches the same requests as \(existing)")
                    return CATALOG_STATUS_INVALID_ARGUMENT
                }
                state.patternsByShape[key] = route.pattern
                state.routes.append(route)
                return CATALOG_STATUS_OK
            case .failure(let error):
                state.note("route \(method.prefix(20)) \(pattern.prefix(100)): \(error.reason)")
                return CATALOG_STATUS_INVALID_ARGUMENT
            }
        }
    }

    /// Routes a worker process reported, validated again as `add_route` validates them: a
    /// plugin in a worker shares the worker's memory and could send a ready report of its own.
    /// Each route is rebuilt from its method and pattern, so its router form is the host's.
    ///
    /// - Parameter reported: The routes as the worker reported them.
    /// - Returns: The routes, or why some are refused.
    static func revalidated(_ reported: [PluginRoute]) -> Result<[PluginRoute], RouteError> {
        let table = RouteTable()
        for route in reported.prefix(maximumRoutes + 1) {
            _ = table.add(method: route.method, pattern: route.pattern, routeID: route.routeID)
        }
        let (routes, errors) = table.close()
        return errors.isEmpty ? .success(routes) : .failure(RouteError(reason: "invalid routes: " + errors.joined(separator: "; ")))
    }

    struct RouteError: Error {
        let reason: String
    }

    /// Validates a route and translates its pattern into the router's syntax.
    static func parse(method: String, pattern: String, routeID: UInt32) -> Result<PluginRoute, RouteError> {
        guard methods.contains(method) else {
            return .failure(RouteError(reason: "method must be one of \(methods.sorted().joined(separator: ", "))"))
        }
        guard pattern.hasPrefix("/") else {
            return .failure(RouteError(reason: "pattern must start with '/'"))
        }
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard segments.first != "management" else {
            return .failure(RouteError(reason: "paths under /management are the host's management API (see docs/management.md)"))
        }
        if pattern == "/" { return .success(PluginRoute(method: method, pattern: pattern, routeID: routeID, routerPattern: "", remainderParameter: nil)) }
        var routerSegments: [String] = []
        var remainder: String?
        for (index, segment) in segments.enumerated() {
            guard !segment.isEmpty else { return .failure(RouteError(reason: "empty path segment")) }
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                var name = segment.dropFirst().dropLast()
                let isRemainder = name.hasSuffix("...")
                if isRemainder { name = name.dropLast(3) }
                guard isParameterName(name) else {
                    return .failure(RouteError(reason: "parameter name \"\(name)\" must be letters, digits or '_'"))
                }
                if isRemainder {
                    guard index == segments.count - 1 else {
                        return .failure(RouteError(reason: "{\(name)...} must be the last segment"))
                    }
                    remainder = String(name)
                    routerSegments.append("**")
                } else {
                    routerSegments.append("{\(name)}")
                }
            } else {
                guard !segment.contains(where: { "{}*:".contains($0) }) else {
                    return .failure(RouteError(reason: "segment \"\(segment)\" mixes text with '{', '}', '*' or ':'"))
                }
                routerSegments.append(String(segment))
            }
        }
        return .success(PluginRoute(
            method: method, pattern: pattern, routeID: routeID,
            routerPattern: "/" + routerSegments.joined(separator: "/"), remainderParameter: remainder))
    }

    private static func isParameterName(_ name: Substring) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
