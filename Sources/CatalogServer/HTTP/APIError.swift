import CatalogJSON
import HTTPTypes
import Hummingbird

/// An error answered as `{"error": message, "code": "404", "message": message}` with an HTTP
/// status: catalog-server's `error` and the Kubeflow contract's `code` and `message` at once,
/// so that clients of either read it.
struct APIError: Error {
    var status: HTTPResponse.Status
    var message: String
    /// More members of the body beside `error`, e.g. the `errors` of a 422.
    var details: [String: JSONValue] = [:]
    /// Headers of the response, e.g. `Retry-After` of a 429.
    var headers: HTTPFields = [:]

    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }

    /// The body: `error`, `code` and `message`, with the details beside them.
    var body: JSONValue {
        let fields: [String: JSONValue] = ["error": .string(message), "code": .string(String(status.code)), "message": .string(message)]
        return .object(details.merging(fields) { _, field in field })
    }

    var response: Response { buffered.response }

    /// The error's JSON response, with its extra headers.
    var buffered: BufferedResponse {
        var response = JSONResponse.buffered(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Responses with a JSON body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        buffered(value, status: status, headers: extra).response
    }

    /// `value` as a JSON body, in a ``BufferedResponse``.
    static func buffered(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> BufferedResponse {
        guard let body = try? JSONCoding.encode(value) else {
            return BufferedResponse(
                status: .internalServerError, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"error":"response could not be encoded"}"#))
        }
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        return BufferedResponse(status: status, headers: headers, body: ByteBuffer(bytes: body))
    }
}
