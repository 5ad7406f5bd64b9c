import HTTPTypes
import Hummingbird
import NIOCore

/// A response whose body is one buffer: what a plugin route answers and every JSON error.
///
/// Made on whichever thread has the answer, it is written as it is by the event loop
/// (``PluginRouteHandler``), or handed to Hummingbird as a `Response` (``response``).
struct BufferedResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    /// - Parameters:
    ///   - status: The status.
    ///   - headers: The headers; `Content-Length` is the body's unless set.
    ///   - body: The body, empty by default.
    init(status: HTTPResponse.Status, headers: HTTPFields = [:], body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
        if !self.headers.contains(.contentLength) {
            self.headers[.contentLength] = String(body.readableBytes)
        }
    }

    /// The response for Hummingbird to write.
    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
