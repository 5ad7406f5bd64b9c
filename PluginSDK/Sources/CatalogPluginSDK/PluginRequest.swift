import CCatalogPlugin
import Foundation

/// One HTTP request routed to a plugin, copied out of host memory.
///
/// ```swift
/// routes.get("/tools/{name}") { request in
///     let name = try request.parameter("name")                  // percent-decoded
///     let verbose = request.query("verbose") == "true"
///     let id = request.headers["x-request-id"] ?? "-"
///     …
/// }
/// ```
public struct PluginRequest: Sendable {
    /// The HTTP method, upper-case: `GET`, `POST`, ….
    public var method: String
    /// The full request path as received (percent-encoded).
    public var path: String
    /// Path parameters of the matched route, percent-decoded.
    public var pathParameters: [String: String]
    /// Query parameters in request order, percent-decoded.
    public var queryItems: [(name: String, value: String)]
    /// Headers, names in lower case.
    public var headers: [String: String]
    /// The request body (at most 4 MiB; the host refuses larger ones with 413).
    public var body: [UInt8]

    /// A request; the SDK builds them from the host's, tests may build their own.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request path.
    ///   - pathParameters: The matched route's parameters, decoded.
    ///   - queryItems: The query parameters, in order, decoded.
    ///   - headers: The headers, names in lower case.
    ///   - body: The body.
    public init(
        method: String = "GET", path: String = "/", pathParameters: [String: String] = [:],
        queryItems: [(name: String, value: String)] = [], headers: [String: String] = [:], body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.pathParameters = pathParameters
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
    }

    /// The first value of query parameter `name`.
    ///
    /// - Parameter name: The parameter's name, e.g. `pageSize`.
    /// - Returns: Its first value, or `nil` when the request has none.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The path parameter `name`; throws 400 when the route has none.
    ///
    /// - Parameter name: The name in the route's pattern, e.g. `name` for `/items/{name}`.
    /// - Returns: The parameter's value, percent-decoded.
    /// - Throws: ``PluginError`` (400) when the matched route has no such parameter.
    public func parameter(_ name: String) throws -> String {
        guard let value = pathParameters[name] else { throw PluginError.badRequest("missing path parameter \(name)") }
        return value
    }

    /// Decodes the body as JSON; a malformed body is a 400.
    ///
    /// - Parameter type: The type to decode.
    /// - Returns: The decoded body.
    /// - Throws: ``PluginError`` (400) naming the type and the decoder's error.
    public func decodeBody<Value: Decodable>(as type: Value.Type) throws -> Value {
        do {
            return try JSONCoding.decode(type, from: body)
        } catch {
            throw PluginError.badRequest("request body is not valid JSON for \(Value.self): \(error)")
        }
    }

    init(copying request: UnsafePointer<catalog_request>) {
        let request = request.pointee
        func string(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        func pairs(_ pointer: UnsafePointer<catalog_pair>?, _ count: Int) -> [(String, String)] {
            guard let pointer else { return [] }
            return (0..<count).map { (string(pointer[$0].key), string(pointer[$0].value)) }
        }
        self.method = string(request.method)
        self.path = string(request.path)
        self.pathParameters = Dictionary(pairs(request.path_params, request.path_param_count), uniquingKeysWith: { first, _ in first })
        self.queryItems = pairs(request.query_params, request.query_param_count).map { (name: $0.0, value: $0.1) }
        self.headers = Dictionary(pairs(request.headers, request.header_count), uniquingKeysWith: { first, second in "\(first), \(second)" })
        self.body = request.body.map { Array(UnsafeBufferPointer(start: $0, count: request.body_length)) } ?? []
    }
}

/// A plugin's answer to a request or capability operation.
///
/// ```swift
/// .json(page)                                          // 200, application/json
/// .error(409, "tool \"git\" is locked")                 // {"error", "code", "message"}
/// PluginResponse(contentType: "text/plain", body: Array("ok\n".utf8))
/// ```
public struct PluginResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The `Content-Type` header.
    public var contentType: String
    /// Further headers, in order. The host decides the framing headers (`Content-Length`,
    /// `Transfer-Encoding`, `Connection`) itself.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: [UInt8]

    /// A response.
    ///
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - contentType: The `Content-Type` header.
    ///   - headers: Further headers.
    ///   - body: The body.
    public init(status: Int = 200, contentType: String = "application/json", headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    /// `value` encoded as JSON with sorted keys.
    ///
    /// - Parameters:
    ///   - value: Any `Encodable` value, e.g. a `JSONValue` or a ``ListPage``.
    ///   - status: The HTTP status code.
    /// - Returns: The response; a 500 naming the error when `value` cannot be encoded.
    public static func json(_ value: some Encodable, status: Int = 200) -> PluginResponse {
        do {
            return PluginResponse(status: status, body: Array(try JSONCoding.encode(value)))
        } catch {
            return .error(500, "response could not be encoded: \(error)")
        }
    }

    /// `{"error": message, "code": "<status>", "message": message}` with `status`: the
    /// catalog-server shape and the Kubeflow contract's at once.
    ///
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - message: What went wrong.
    /// - Returns: The error response.
    public static func error(_ status: Int, _ message: String) -> PluginResponse {
        let fields = ["error": message, "code": String(status), "message": message]
        let body = (try? JSONCoding.encode(fields)).map(Array.init) ?? Array(#"{"error":"error","code":"500","message":"error"}"#.utf8)
        return PluginResponse(status: status, body: body)
    }

    /// What `body` answers; a thrown ``PluginError`` keeps its status, anything else is a 500.
    package static func answering(_ body: () async throws -> PluginResponse) async -> PluginResponse {
        do {
            return try await body()
        } catch let error as PluginError {
            return .error(error.status, error.message)
        } catch {
            return .error(500, "\(error)")
        }
    }
}

/// An error a handler throws to answer with a status and `{"error": message}`. Any other
/// error answers 500 with its description.
///
/// ```swift
/// guard let tool = tools[name] else { throw PluginError.notFound("tool \"\(name)\" not found") }
/// throw PluginError(status: 409, message: "tool \"\(name)\" is locked")
/// ```
public struct PluginError: Error, CustomStringConvertible, Sendable {
    /// The HTTP status to answer with.
    public var status: Int
    /// The message, sent as `error` and `message`.
    public var message: String

    /// An error answering `status` with `message`.
    ///
    /// - Parameters:
    ///   - status: The HTTP status to answer with.
    ///   - message: The message.
    public init(status: Int, message: String) {
        self.status = status
        self.message = message
    }

    /// A 400 Bad Request.
    ///
    /// - Parameter message: What is wrong with the request, e.g. naming the parameter.
    /// - Returns: The error.
    public static func badRequest(_ message: String) -> PluginError { PluginError(status: 400, message: message) }
    /// A 404 Not Found.
    ///
    /// - Parameter message: What was not found.
    /// - Returns: The error.
    public static func notFound(_ message: String) -> PluginError { PluginError(status: 404, message: message) }

    /// The message.
    public var description: String { message }
}
