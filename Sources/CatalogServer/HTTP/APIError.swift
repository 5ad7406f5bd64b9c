import CatalogJSON
import HTTPTypes
import Hummingbird

/// An error answered as `{"error": message}` with an HTTP status.
struct APIError: Error {
    var status: HTTPResponse.Status
    var message: String

    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }

    var response: Response {
        JSONResponse.make(["error": .string(message)] as JSONValue, status: status)
    }
}

/// Responses with a JSON body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        guard let body = try? JSONCoding.encode(value) else {
            return Response(status: .internalServerError, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":"response could not be encoded"}"#)))
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
