import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore

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

    /// Answers a request for the management API under `{basePath}/management`.
    func manage(_ request: Request, context: BasicRequestContext) async throws -> Response {
        if let reason = plugin.notServingReason {
            throw notServing(reason)
        }
        return try await management.respond(to: request, context: context)
    }

    /// The answer to any request under the base path while the plugin does not serve.
    private func notServing(_ reason: String) -> APIError {
        APIError(status: .serviceUnavailable, message: "plugin \"\(plugin.name)\" is not serving: \(reason)")
    }

    /// The answer to a request whose body passes ``maximumBodySize``.
    static let bodyTooLarge = APIError(status: .contentTooLarge, message: "request body exceeds \(maximumBodySize) bytes")

    /// Whether the first non-empty segment of `path` (below the base path) is `management`.
    static func isManagement(_ path: Substring) -> Bool {
        let bytes = path.utf8.drop { $0 == UInt8(ascii: "/") }
        let name = "management".utf8
        return bytes.starts(with: name) && bytes.dropFirst(name.count).first.map { $0 == UInt8(ascii: "/") } ?? true
    }

    /// A request matched to one of the plugin's routes, before its body is read.
    struct MatchedRequest: Sendable {
        /// The request's head; a `HEAD` request comes as a `GET`.
        var head: HTTPRequest
        /// The head's path and query.
        var uri: URI
        var route: PluginRoute
        /// The path parameters, as they appear in the path (not decoded yet).
        var pathParameters: [(String, String)]
        /// The overlays the answer gets (``OverlayReads``), if any.
        var entityRead: OverlayReads.Kind?
    }

    /// Matches a request for a path under the base path (not the management API) to one of
    /// the plugin's routes, or says why it has none: the plugin does not serve (503), or no
    /// route of the request's method matches the path (404).
    ///
    /// - Parameters:
    ///   - head: The request's head; a `HEAD` request comes as a `GET`.
    ///   - uri: The head's path and query.
    func match(_ head: HTTPRequest, uri: URI) -> Result<MatchedRequest, APIError> {
        if let reason = plugin.notServingReason {
            return .failure(notServing(reason))
        }
        let below = Substring(uri.path.utf8.dropFirst(basePath.utf8.count))
        guard let (target, parameters) = routes.match(head.method, below) else {
            return .failure(APIError.notFound("no route for \(head.method) \(uri.path)"))
        }
        return .success(MatchedRequest(head: head, uri: uri, route: target.route, pathParameters: parameters, entityRead: target.entityRead))
    }

    /// Serves a request matched to one of the plugin's routes: copies it into ABI form, hands
    /// it to the plugin, and turns its answer, or how the call failed, into the response.
    ///
    /// `answer` is called once: on the caller's thread when the request never reaches the
    /// plugin (a malformed parameter, too many requests in flight), else on the thread that
    /// ends the call — the plugin's own, its worker's reader, or the deadline thread — which
    /// also adds the overlays, counts the call and, past the deadline, logs it.
    ///
    /// - Parameters:
    ///   - request: The request, from ``match(_:uri:)``.
    ///   - body: The whole body, at most ``maximumBodySize`` bytes.
    ///   - requestID: The request's id as the host settled it, handed to the plugin in place of
    ///     whatever the client sent.
    ///   - answer: Receives the response; it must not block.
    func serve(
        _ request: MatchedRequest, body: ByteBuffer, requestID: String?, answer: @escaping @Sendable (BufferedResponse) -> Void
    ) {
        let (head, uri, path) = (request.head, request.uri, request.uri.path)
        let parameters = request.pathParameters
        let route = request.route
        let forwarded: ForwardedRequest
        do {
            forwarded = ForwardedRequest(
                routeID: route.routeID,
                method: route.method,
                path: path,
                query: uri.query ?? "",
                pathParameters: try parameters.map { ($0.0, try PathParameter.decoded($0.1, name: $0.0)) },
                queryParameters: try Self.queryParameters(uri.query ?? ""),
                headers: head.headerFields.filter { $0.name != RequestID.header }.map { ($0.name.canonicalName, $0.value) }
                    + (requestID.map { [(RequestID.header.canonicalName, $0)] } ?? []),
                body: Array(buffer: body))
        } catch {
            return answer((error as? APIError ?? APIError(status: .badRequest, message: "\(error)")).buffered)
        }
        // Plugin latency: from the whole request being here to the answer.
        let arrived = ContinuousClock.now
        let (plugin, metrics, deadline) = (plugin, metrics, plugin.deadlines.request)
        guard plugin.admitRequest() else {
            metrics.call(plugin: plugin.name, kind: "request", outcome: "rejected")
            metrics.request(plugin: plugin.name, route: route.pattern, method: route.method, status: 503, duration: .now - arrived)
            return answer(APIError(
                status: .serviceUnavailable,
                message: "plugin \"\(plugin.name)\" already has \(plugin.maxConcurrentRequests) requests in flight; retry later").buffered)
        }
        let call = "\(head.method) \(path)"
        let overlays = request.entityRead.flatMap { kind in self.overlays.map { (kind, $0) } }
        let named = forwarded.pathParameters.last?.1
        plugin.calls.handle(forwarded, deadline: deadline, requestID: requestID, on: plugin.threads) { outcome in
            var outcome = outcome
            if case .timedOut = outcome { plugin.finishRequest(timedOut: true) } else { plugin.finishRequest(timedOut: false) }
            if case .responded(let reply) = outcome, let (kind, store) = overlays, reply.status == 200 {
                outcome = .responded(Self.withOverlays(reply, kind: kind, name: named, overlays: store.overlays(plugin: plugin.name)))
            }
            if case .timedOut = outcome {
                plugin.timeouts.note("504", level: .warning, "\(call) got no answer within \(deadline); answered 504")
            }
            let result = outcome.response(plugin: plugin.name, call: call, deadline: deadline)
            // What is counted is what is sent: the writer turns a status out of range into a 502.
            let response: BufferedResponse
            let metricsOutcome: String
            do {
                response = try PluginReplyWriter.response(for: try result.get(), plugin: plugin.name)
                metricsOutcome = outcome.metricsOutcome
            } catch {
                let error = error as? APIError ?? APIError(status: .badGateway, message: "\(error)")
                response = error.buffered
                let refused = if case .success = result { true } else { false }
                metricsOutcome = refused ? "protocol" : outcome.metricsOutcome
            }
            metrics.call(plugin: plugin.name, kind: "request", outcome: metricsOutcome)
            metrics.request(plugin: plugin.name, route: route.pattern, method: route.method, status: Int(response.status.code), duration: .now - arrived)
            answer(response)
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
