import CatalogJSON
import Foundation
import NIOCore
import Synchronization

/// A response a plugin gave through `host->respond`, copied out of plugin memory.
struct PluginReply: Sendable {
    /// The largest body the host accepts from a plugin (default 32 MiB); a larger answer is
    /// refused with a 502 before it is copied. Set from `--max-response-bytes` at start-up.
    static let maximumBodySize = Atomic<Int>(32 * 1024 * 1024)

    /// The 502 that replaces an answer whose body of `length` bytes is over ``maximumBodySize``,
    /// or `nil` when it is within.
    static func oversized(_ length: Int) -> PluginReply? {
        let limit = maximumBodySize.load(ordering: .relaxed)
        guard length > limit else { return nil }
        return .error(502, "the plugin's response of \(length) bytes exceeds the limit of \(limit) bytes (--max-response-bytes)")
    }

    /// A JSON error answer made by the host on a plugin's behalf, shaped as ``APIError`` shapes one.
    static func error(_ status: Int, _ message: String) -> PluginReply {
        let body = ["error": message, "code": String(status), "message": message]
        return PluginReply(status: status, body: ByteBuffer(bytes: (try? JSONCoding.encode(body)) ?? Data()))
    }

    var status: Int
    var contentType: String
    /// Headers the plugin set; ``PluginReplyWriter`` drops those that shape HTTP framing.
    var headers: [(name: String, value: String)]
    /// The body, in the buffer the HTTP response is written from.
    var body: ByteBuffer

    /// A copy of the body's bytes, for reading it (as JSON, say).
    var bodyBytes: [UInt8] { Array(buffer: body) }

    init(status: Int, contentType: String = "application/json", headers: [(name: String, value: String)] = [], body: ByteBuffer) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}
