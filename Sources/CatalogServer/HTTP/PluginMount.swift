import Foundation
import HTTPTypes
import Hummingbird

/// One plugin's base path: its routes, handed over the ABI, and the host's management API
/// under `{basePath}/management`.
final class PluginMount: Sendable {
    /// Largest request body handed to a plugin.
    static let maximumBodySize = 4 * 1024 * 1024

    let plugin: HostedPlugin
    let basePath: String
    /// Every route mounted under the base path — the plugin's and the management API's — as
    /// `METHOD /path` in the router's syntax (what the OpenAPI document is checked against).
    let mountedRoutes: [String]
    /// The plugin's routes, each with the overlays its answer gets (``OverlayReads``).
    private let routes: RouteMatcher<(route: PluginRoute, entityRead: OverlayReads.Kind?)>
    private let management: RouterResponder<BasicRequestContext>
    private let overlays: (any OverlayStore)?
    private let metrics: ServerMetrics

    init(plugin: HostedPlugin, routes: [PluginRoute], host: PluginHost) {
        let document = plugin.currentState.capabilitiesDocument
        let overlays = host.stores?.overlays
        self.plugin = plugin
        self.basePath = plugin.basePath
        self.overlays = overlays
        self.metrics = host.metrics
        self.routes = RouteMatcher(routes.map { route in
            let entityRead = overlays == nil ? nil : OverlayReads.kind(of: route, basePath: plugin.basePath, document: document)
            return (route, (route, entityRead))
        })
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        ManagementRoutes(plugin: plugin, host: host).add(to: router)
        self.mountedRoutes = routes.map { "\($0.method) \(plugin.basePath)\($0.routerPattern)" } + router.routes.map(\.description)
        self.management = router.buildResponder()
    }

    /// Answers a request for a path under the base path: the management API's under
    /// `/management`, else the plugin's route that matches (``RouteMatcher``), else 404.
    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        if let reason = plugin.notServingReason {
            throw APIError(status: .serviceUnavailable, message: "plugin \"\(plugin.name)\" is not serving: \(reason)")
        }
        let path = request.uri.path
        let below = Substring(path.utf8.dropFirst(basePath.utf8.count))
        if Self.isManagement(below) {
            return try await management.respond(to: request, context: context)
        }
        guard let (target, parameters) = routes.match(request.method, below) else {
            throw APIError.notFound("no route for \(request.method) \(path)")
        }
        return try await Self.forward(
            request, context: context, route: target.route, pathParameters: parameters, plugin: plugin,
            deadline: plugin.deadlines.request, metrics: metrics
        ) { [overlays, plugin] answer, name in
            guard let entityRead = target.entityRead, let overlays, answer.status == 200 else { return answer }
            return Self.withOverlays(answer, kind: entityRead, name: name, overlays: overlays.overlays(plugin: plugin.name))
        }
    }

    /// Whether the first non-empty segment of `path` (below the base path) is `management`.
    static func isManagement(_ path: Substring) -> Bool {
        let bytes = path.utf8.drop { $0 == UInt8(ascii: "/") }
        let name = "management".utf8
        return bytes.starts(with: name) && bytes.dropFirst(name.count).first.map { $0 == UInt8(ascii: "/") } ?? true
    }

    /// Copies the request into ABI form, waits for the plugin's answer and turns it into a response.
    ///
    /// `adjust` may rewrite the plugin's answer; it receives the last path parameter too.
    private static func forward(
        _ request: Request, context: BasicRequestContext, route: PluginRoute, pathParameters: [(String, String)],
        plugin: HostedPlugin, deadline: Duration, metrics: ServerMetrics, adjust: (PluginReply, String?) -> PluginReply
    ) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(status: .contentTooLarge, message: "request body exceeds \(maximumBodySize) bytes")
        }
        // Plugin latency: from the whole request being here to the answer.
        let arrived = ContinuousClock.now
        let forwardedRequest = ForwardedRequest(
            routeID: route.routeID,
            method: route.method,
            path: request.uri.path,
            query: request.uri.query ?? "",
            pathParameters: try pathParameters.map { ($0.0, try PathParameter.decoded($0.1, name: $0.0)) },
            queryParameters: try queryParameters(request.uri.query ?? ""),
            // The request's id as the host settled it, in place of whatever the client sent.
            headers: request.headers.filter { $0.name != RequestID.header }.map { ($0.name.canonicalName, $0.value) }
                + (RequestID.current(in: context).map { [(RequestID.header.canonicalName, $0)] } ?? []),
            body: Array(buffer: body))
        guard plugin.admitRequest() else {
            metrics.call(plugin: plugin.name, kind: "request", outcome: "rejected")
            metrics.request(plugin: plugin.name, route: route.pattern, method: route.method, status: 503, duration: .now - arrived)
            throw APIError(
                status: .serviceUnavailable,
                message: "plugin \"\(plugin.name)\" already has \(plugin.maxConcurrentRequests) requests in flight; retry later")
        }
        var outcome = await plugin.calls.handle(forwardedRequest, deadline: deadline, on: plugin.threads)
        if case .timedOut = outcome { plugin.finishRequest(timedOut: true) } else { plugin.finishRequest(timedOut: false) }
        if case .responded(let answer) = outcome {
            outcome = .responded(adjust(answer, forwardedRequest.pathParameters.last?.1))
        }
        if case .timedOut = outcome {
            plugin.timeouts.note(
                "504", level: .warning, "\(request.method) \(request.uri.path) got no answer within \(deadline); answered 504")
        }
        let result = outcome.response(plugin: plugin.name, call: "\(request.method) \(request.uri.path)", deadline: deadline)
        // What is counted is what is sent: the writer turns a status out of range into a 502.
        do {
            let response = try PluginReplyWriter.response(for: try result.get(), plugin: plugin.name)
            metrics.call(plugin: plugin.name, kind: "request", outcome: outcome.metricsOutcome)
            metrics.request(plugin: plugin.name, route: route.pattern, method: route.method, status: Int(response.status.code), duration: .now - arrived)
            return response
        } catch let error as APIError {
            let refused = if case .success = result { true } else { false }
            metrics.call(plugin: plugin.name, kind: "request", outcome: refused ? "protocol" : outcome.metricsOutcome)
            metrics.request(plugin: plugin.name, route: route.pattern, method: route.method, status: Int(error.status.code), duration: .now - arrived)
            throw error
        }
    }

    /// A list or get answer with the entities' overlays added (see ``OverlayReads``).
    private static func withOverlays(
        _ answer: PluginReply, kind: OverlayReads.Kind, name: String?, overlays: [String: EntityOverlay]
    ) -> PluginReply {
        // Most answers have no overlay to add: the body is not copied for them.
        guard !overlays.isEmpty, let body = OverlayReads.body(answer.bodyBytes, kind: kind, requestedName: name, overlays: overlays) else {
            return answer
        }
        var updated = answer
        updated.body = ByteBuffer(bytes: body)
        return updated
    }

    /// Query parameters decoded as form values, like Go's `url.ParseQuery`: `+` is a space,
    /// `%XX` escapes are decoded, and a malformed escape is the client's error.
    static func queryParameters(_ query: String) throws -> [(String, String)] {
        // Split on the bytes `&` and `=`, as Go does.
        try query.utf8.split(separator: UInt8(ascii: "&")).map { pair in
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = Substring(pair[..<(equals ?? pair.endIndex)])
            func decode(_ part: Substring) throws -> String {
                // Most names and values have no escape and no `+`: Foundation's decoding is the costly part.
                let escaped = part.utf8.contains { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }
                guard let decoded = escaped ? part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding : String(part) else {
                    throw APIError.badRequest("query parameter \(name) has a malformed percent-encoding")
                }
                guard !decoded.utf8.contains(0) else {
                    throw APIError.badRequest("query parameter \(name) contains a NUL byte (%00), which a plugin cannot receive")
                }
                return decoded
            }
            return (try decode(name), try equals.map { try decode(Substring(pair[pair.index(after: $0)...])) } ?? "")
        }
    }
}
