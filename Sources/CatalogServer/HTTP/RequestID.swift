import HTTPTypes
import Hummingbird
import Logging

/// Every request's id: the client's `X-Request-Id` when it is usable (1–128 visible ASCII
/// characters), else a new random one. The response carries it back, the request's log lines
/// carry it as `request_id`, and the plugin receives it in the request headers; W3C
/// `traceparent` and `tracestate` reach plugins unchanged like every other header.
enum RequestID {
    /// `X-Request-Id`.
    static let header = HTTPField.Name("X-Request-Id")!
    /// The logger metadata key.
    static let metadataKey = "request_id"
    /// The longest id accepted from a client.
    static let maximumLength = 128
    /// Where new ids come from: no system call per request.
    private static let ids = UnguessableIDs()

    /// The id `request` gets: its own when usable, else a new one.
    static func make(for request: Request) -> String {
        if let given = request.headers[header], (1...maximumLength).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f })
        {
            return given
        }
        return make()
    }

    /// A new id: 32 hex digits.
    static func make() -> String {
        (0..<2).map { _ in String(ids.next(), radix: 16).leftPadded(to: 16) }.joined()
    }

    /// The id a request's logger carries.
    static func current(in context: BasicRequestContext) -> String? {
        if case .string(let id)? = context.logger[metadataKey: metadataKey] { return id }
        return nil
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}
