import Foundation
import HTTPTypes
import Hummingbird

/// One plugin's base path and the router that hands its requests over the ABI.
struct PluginMount: Sendable {
    /// Largest request body handed to a plugin.
    static let maximumBodySize = 4 * 1024 * 1024

    let plugin: HostedPlugin
    let basePath: String
    private let router: RouterResponder<BasicRequestContext>

    init(plugin: HostedPlugin, routes: [PluginRoute], requestDeadline: Duration) {
        self.plugin = plugin
        self.basePath = plugin.basePath
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        for route in routes {
            router.on(RouterPath(plugin.basePath + route.routerPattern), method: HTTPRequest.Method(route.method)!) {
                request, context in
                try await Self.forward(request, context: context, route: route, plugin: plugin, deadline: requestDeadline)
            }
        }
        self.router = router.buildResponder()
    }

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let state = plugin.currentState
        guard state.serving else {
            throw APIError(
                status: .serviceUnavailable,
                message: "plugin \"\(plugin.name)\" is not serving: \(state.lastError ?? "it is not started")")
        }
        return try await router.respond(to: request, context: context)
    }

    /// Copies the request into ABI form, waits for the plugin's answer and turns it into a response.
    private static func forward(
        _ request: Request, context: BasicRequestContext, route: PluginRoute, plugin: HostedPlugin, deadline: Duration
    ) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(status: .contentTooLarge, message: "request body exceeds \(maximumBodySize) bytes")
        }
        let pluginRequest = PluginRequest(
            routeID: route.routeID,
            method: route.method,
            path: request.uri.path,
            query: request.uri.query ?? "",
            pathParameters: try pathParameters(context.parameters, route: route),
            queryParameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) },
            headers: request.headers.map { ($0.name.canonicalName, $0.value) },
            body: Array(buffer: body))
        switch await plugin.descriptor.handle(pluginRequest, deadline: deadline) {
        case .responded(let response):
            return try httpResponse(response, plugin: plugin)
        case .timedOut:
            throw APIError(status: .gatewayTimeout, message: "plugin \"\(plugin.name)\" did not answer within \(deadline)")
        case .completed:
            throw APIError(status: .internalServerError, message: "plugin \"\(plugin.name)\" answered a request with complete() instead of respond()")
        }
    }

    /// The matched path parameters, percent-decoded; a malformed escape is the client's error.
    private static func pathParameters(_ parameters: Parameters, route: PluginRoute) throws -> [(String, String)] {
        var decoded: [(String, String)] = []
        for (name, value) in parameters where name != Parameters.recursiveCaptureKey {
            decoded.append((String(name), try percentDecoded(value, parameter: name)))
        }
        if let remainder = route.remainderParameter {
            let raw = parameters.getCatchAll().joined(separator: "/")
            decoded.append((remainder, try percentDecoded(raw[...], parameter: remainder[...])))
        }
        return decoded
    }

    private static func percentDecoded(_ value: Substring, parameter: Substring) throws -> String {
        guard let decoded = String(value).removingPercentEncoding else {
            throw APIError.badRequest("path parameter \(parameter) has a malformed percent-encoding: \(value)")
        }
        return decoded
    }

    private static func httpResponse(_ response: PluginResponse, plugin: HostedPlugin) throws -> Response {
        guard (100...599).contains(response.status) else {
            throw APIError(status: .internalServerError, message: "plugin \"\(plugin.name)\" answered with invalid status \(response.status)")
        }
        var headers: HTTPFields = [.contentType: response.contentType]
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        return Response(
            status: HTTPResponse.Status(code: response.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
