import CatalogJSON
import Foundation

/// Length-prefixed frames over a connected Unix socket. Sends are serialised; receiving
/// blocks, so one thread reads.
final class FrameChannel: @unchecked Sendable {
    /// Largest frame accepted, to stop a confused peer from exhausting memory.
    static let maximumFrameSize = 64 * 1024 * 1024

    let descriptor: Int32
    private let sendLock = NSLock()

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Sends one frame; throws when the peer is gone (never raises SIGPIPE).
    func send(_ frame: WorkerFrame) throws {
        let payload = try JSONEncoder().encode(frame)
        var length = UInt32(payload.count).bigEndian
        var message = Data(bytes: &length, count: 4)
        message.append(payload)
        sendLock.lock()
        defer { sendLock.unlock() }
        try message.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { throw ChannelClosed() }
                offset += sent
            }
        }
    }

    /// The next frame, or `nil` when the peer closed the connection.
    func receive() throws -> WorkerFrame? {
        guard let header = try read(count: 4) else { return nil }
        let length = header.withUnsafeBytes { Int(UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self))) }
        guard length <= Self.maximumFrameSize, let payload = try read(count: length) else { throw ChannelClosed() }
        return try JSONCoding.decode(WorkerFrame.self, from: payload)
    }

    private func read(count: Int) throws -> Data? {
        var data = Data(count: count)
        var offset = 0
        while offset < count {
            let received = data.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress! + offset, count - offset, 0) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else {
                if offset == 0 && received == 0 { return nil }
                throw ChannelClosed()
            }
            offset += received
        }
        return data
    }

    func close() {
        Glibc.close(descriptor)
    }

    struct ChannelClosed: Error {}
}
