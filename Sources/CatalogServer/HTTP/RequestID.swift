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

    /// The id a request with `head` gets: its own when usable, else a new one.
    static func make(for head: HTTPRequest) -> String {
        if let given = head.headerFields[header], (1...maximumLength).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f })
        {
            return given
        }
        return make()
    }

    /// A new id: 32 hex digits, written straight into the string's storage.
    static func make() -> String {
        let words = (ids.next(), ids.next())
        return String(unsafeUninitializedCapacity: 32) { digits in
            for index in 0..<32 {
                let word = index < 16 ? words.0 : words.1
                let nibble = Int(truncatingIfNeeded: word >> UInt64(60 - 4 * (index % 16))) & 0xF
                digits[index] = hexDigits[nibble]
            }
            return 32
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The id a request's logger carries.
    static func current(in context: BasicRequestContext) -> String? {
        if case .string(let id)? = context.logger[metadataKey: metadataKey] { return id }
        return nil
    }
}
