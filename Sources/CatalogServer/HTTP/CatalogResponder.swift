import HTTPTypes
import Hummingbird
import Logging

/// The server's one responder: the request's id (``RequestID``), the access policy, then plugin
/// base paths, then the framework's routes; an access log line per request when configured.
///
/// Requests for a plugin's routes usually never reach it: the event loop serves them through
/// ``PluginRouteHandler``, with the same steps (``destination(of:path:)``,
/// ``PluginMount/match(_:uri:)``, ``PluginMount/serve(_:body:requestID:answer:)``,
/// ``finish(_:id:method:path:arrived:logger:)``).
///
/// Every error becomes a JSON body `{"error": …}`: an unknown route is 404, a malformed
/// request 400, a plugin failure 500, and nothing reaches the client as an empty 500.
struct CatalogResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let mounts: PluginMounts
    let framework: RouterResponder<BasicRequestContext>
    let access: AccessPolicy
    /// Whether the server listens on a loopback address only.
    let loopback: Bool
    /// The level of the access log line of each request; `nil` for none.
    let accessLogLevel: Logger.Level?
    /// The server's logger, for requests the event loop serves.
    let logger: Logger

    /// Where a request goes, read from its head.
    enum Destination {
        /// Refused by the access policy.
        case refused(APIError)
        /// One of a plugin's routes.
        case plugin(PluginMount)
        /// A plugin's management API.
        case management(PluginMount)
        /// The framework's routes, or none.
        case framework
    }

    /// Where a request with `head` goes.
    ///
    /// - Parameters:
    ///   - head: The request's head.
    ///   - path: Its path, without the query.
    func destination(of head: HTTPRequest, path: String) -> Destination {
        let mount = mounts.match(path)
        // Only a method that writes can be a management write: reads skip the path check.
        let writes = head.method != .get && head.method != .head
        let subject = AccessPolicy.Subject(
            path: path,
            isWrite: writes && (mount.map { Self.isManagement(path, basePath: $0.basePath) } ?? false),
            authorization: head.headerFields[.authorization], origin: head.headerFields[.origin], host: head.authority)
        if let refusal = access.refusal(for: subject, loopback: loopback) {
            return .refused(refusal)
        }
        guard let mount else { return .framework }
        return PluginMount.isManagement(Substring(path.utf8.dropFirst(mount.basePath.utf8.count))) ? .management(mount) : .plugin(mount)
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let arrived = ContinuousClock.now
        let id = RequestID.make(for: request.head)
        var context = context
        // One request id per line; set in one write, since a log handler may render its
        // metadata on every change.
        var metadata = context.logger.handler.metadata
        metadata[RequestID.metadataKey] = .string(id)
        metadata["hb.request.id"] = nil
        context.logger.handler.metadata = metadata
        // HEAD is GET without the body (RFC 9110 §9.3.2): answered as GET, the body dropped, its length kept.
        let isHead = request.method == .head
        var served = request
        if isHead {
            var head = request.head
            head.method = .get
            served = Request(head: head, body: request.body)
        }
        var response = await PendingCalls.$requestID.withValue(id) { [served] in await answer(served, context: context) }
        if isHead {
            let length = response.headers[.contentLength]
            response.body = ResponseBody()
            response.headers[.contentLength] = length
        }
        finish(&response.headers, id: id, method: request.method, path: request.uri.path, status: response.status, arrived: arrived, logger: context.logger)
        return response
    }

    /// What every response gets last: the request's id, and the access log line.
    ///
    /// - Parameters:
    ///   - headers: The response's headers.
    ///   - id: The request's id.
    ///   - method: The request's method, as the client sent it.
    ///   - path: The request's path.
    ///   - status: The response's status.
    ///   - arrived: When the request's head was read.
    ///   - logger: The request's logger.
    func finish(
        _ headers: inout HTTPFields, id: String, method: HTTPRequest.Method, path: String, status: HTTPResponse.Status,
        arrived: ContinuousClock.Instant, logger: Logger
    ) {
        headers[RequestID.header] = id
        if let accessLogLevel {
            let elapsed = ContinuousClock.now - arrived
            logger.log(level: accessLogLevel, "\(method) \(path) \(status.code)", metadata: ["duration_ms": .stringConvertible(elapsed.milliseconds)])
        }
    }

    private func answer(_ request: Request, context: BasicRequestContext) async -> Response {
        do {
            switch destination(of: request.head, path: request.uri.path) {
            case .refused(let refusal):
                return refusal.response
            case .plugin(let mount):
                let matched: PluginMount.MatchedRequest
                switch mount.match(request.head, uri: request.uri) {
                case .success(let request): matched = request
                case .failure(let error): return error.response
                }
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: PluginMount.maximumBodySize)
                } catch {
                    return PluginMount.bodyTooLarge.response
                }
                let id = RequestID.current(in: context)
                return await withUnsafeContinuation { continuation in
                    mount.serve(matched, body: body, requestID: id) { continuation.resume(returning: $0.response) }
                }
            case .management(let mount):
                return try await mount.manage(request, context: context)
            case .framework:
                return try await framework.respond(to: request, context: context)
            }
        } catch {
            return JSONErrorMiddleware.response(for: error, request: request, logger: context.logger)
        }
    }
}

extension CatalogResponder {
    /// Whether `path` lies under `basePath`'s management API: empty segments (`//`) are
    /// skipped, as when requests are dispatched (``PluginMount``), and segments are
    /// percent-decoded, which dispatching does not do, so no spelling of a management path
    /// escapes the check.
    static func isManagement(_ path: String, basePath: String) -> Bool {
        func segments(_ path: String) -> [String] {
            path.split(separator: "/").map { $0.removingPercentEncoding ?? String($0) }
        }
        let base = segments(basePath)
        let requested = segments(path)
        return requested.count > base.count && Array(requested.prefix(base.count)) == base && requested[base.count] == "management"
    }
}

/// Turns any error thrown below it, including the router's own "not found", into a JSON
/// error response.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.response(for: error, request: request, logger: context.logger)
        }
    }

    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let error as APIError:
            return error.response
        case let error as HTTPError:
            let message = error.body ?? (error.status == .notFound
                ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return APIError(status: error.status, message: message).response
        default:
            logger.error("request \(request.method) \(request.uri.path) failed: \(error)")
            return APIError(status: .internalServerError, message: "internal error: \(error)").response
        }
    }
}
