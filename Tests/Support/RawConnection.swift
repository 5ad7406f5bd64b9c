import Foundation

/// A plain TCP connection to the server under test, for what URLSession will not do: pipelined
/// requests, half-sent request heads, reading exactly the bytes the server wrote. Every call
/// blocks its thread, so the tests run it through `onThread`.
final class RawConnection: @unchecked Sendable {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw CommandFailure(description: "cannot connect to port \(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw CommandFailure(description: "send failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// The first `count` responses the server sends, or fewer if it closes the connection or
    /// `timeout` passes first (a busy machine may take long: the wait ends as soon as they are here).
    func readResponses(_ count: Int, timeout: TimeInterval = 20) -> [RawResponse] {
        var received = Data()
        let deadline = Date(timeIntervalSinceNow: timeout)
        while RawResponse.parseAll(received).count < count && Date() < deadline {
            let (data, closed) = readUntilClosed(timeout: 0.05)
            received.append(data)
            if closed { break }
        }
        return RawResponse.parseAll(received)
    }

    /// Everything the server sends until it closes the connection or `timeout` passes.
    func readUntilClosed(timeout: TimeInterval = 10) -> (data: Data, closed: Bool) {
        var received = Data()
        let deadline = Date(timeIntervalSinceNow: timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var wait = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                return (received, true)
            }
        }
        return (received, false)
    }
}

/// One HTTP/1.1 response cut out of a byte stream by its `Content-Length`.
struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name }.map(\.1) }

    /// The responses in `data`, in order; parsing stops at the first incomplete one.
    static func parseAll(_ data: Data) -> [RawResponse] {
        var responses: [RawResponse] = []
        var rest = data[...]
        while let end = rest.range(of: Data("\r\n\r\n".utf8)) {
            let head = String(decoding: rest[rest.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            guard let statusLine = head.first, statusLine.hasPrefix("HTTP/1.1 "),
                let status = Int(statusLine.dropFirst(9).prefix(3))
            else { break }
            let headers = head.dropFirst().compactMap { line -> (String, String)? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
            let bodyStart = end.upperBound
            guard rest.distance(from: bodyStart, to: rest.endIndex) >= length else { break }
            let bodyEnd = rest.index(bodyStart, offsetBy: length)
            responses.append(RawResponse(status: status, headers: headers, body: Data(rest[bodyStart..<bodyEnd])))
            rest = rest[bodyEnd...]
        }
        return responses
    }
}

/// Runs blocking test code on a thread of its own, never on the concurrency pool.
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
