import CatalogJSON
import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization

/// Holds every client connection to the ``ConnectionLimits`` and answers a malformed or
/// oversized request head with a JSON 400 instead of an empty one.
///
/// It sits in each connection's pipeline after HTTP decoding: a complete request head is the
/// first thing it sees of a request, and the end of a response the last. One wait runs at a
/// time: the head timeout from the moment the connection opens, the idle timeout after each
/// response and while a request body arrives; none while the server works on a request.
///
/// A wait is a deadline, not a timer per request: the connection keeps at most one timer, and
/// when it fires before the deadline in force (moved on by later requests) it waits the rest.
/// Starting and ending a wait costs a clock read, where scheduling and cancelling a timer
/// twice per request cost the event loop a heap insertion and an allocation each.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Wait {
        case head, idle, body

        var reason: String {
            switch self {
            case .head: "it sent no complete request head within the request-head timeout"
            case .idle: "it was idle longer than the idle timeout"
            case .body: "its request body stalled longer than the idle timeout"
            }
        }
    }

    private let limits: ConnectionLimits
    private let log: ThrottledLog
    /// What the connection waits for, and until when; `nil` while the server works on a request.
    private var waiting: (wait: Wait, deadline: NIODeadline)?
    /// The one timer, and when it fires.
    private var timer: (scheduled: Scheduled<Void>, at: NIODeadline)?
    private var requestsInProgress = 0
    private var readingBody = false

    init(limits: ConnectionLimits, log: ThrottledLog) {
        self.limits = limits
        self.log = log
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(.head, context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if waiting == nil { arm(.head, context: context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestsInProgress += 1
            readingBody = true
            arm(.body, context: context)
        case .body:
            if readingBody { arm(.body, context: context) }
        case .end:
            readingBody = false
            if requestsInProgress == 0 {
                arm(.idle, context: context)  // answered before its body ended (401, 413, …)
            } else {
                waiting = nil
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0 && !readingBody { arm(.idle, context: context) }
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        stopTimer()
        guard requestsInProgress == 0 && !readingBody else {
            // A response to an earlier request is still on its way (a 400 now would land inside
            // it), or the request was answered before its body ended (a 400 would answer it twice).
            log.note("rejected", "a malformed request behind a request in progress or its early answer; closed the connection")
            context.close(promise: nil)
            return
        }
        let message: String
        switch parserError {
        case .headerOverflow: message = "the request head is larger than the server accepts (80 KiB of headers, URL included)"
        case .invalidURL: message = "the request URL is malformed"
        default: message = "the request is not valid HTTP/1.1 (\(parserError))"
        }
        log.note("rejected", "a malformed or oversized request head: \(message)")
        // Answered here, before the responder: the error's shape and a request id like every answer.
        let body = context.channel.allocator.buffer(bytes: (try? JSONCoding.encode(APIError.badRequest(message).body)) ?? Data())
        let head = HTTPResponse(
            status: .badRequest,
            headerFields: [
                .contentType: "application/json", .contentLength: "\(body.readableBytes)", .connection: "close",
                RequestID.header: RequestID.make(),
            ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Starts waiting for `wait`: the connection is closed unless it ends within its timeout.
    private func arm(_ wait: Wait, context: ChannelHandlerContext) {
        let deadline = NIODeadline.now() + TimeAmount(timeout(of: wait))
        waiting = (wait, deadline)
        if let timer, timer.at <= deadline { return }  // it fires first, then waits the rest
        schedule(at: deadline, context: context)
    }

    private func schedule(at deadline: NIODeadline, context: ChannelHandlerContext) {
        timer?.scheduled.cancel()
        let scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let waiting else { return }  // the server works on a request: the next wait schedules anew
            guard waiting.deadline <= .now() else { return schedule(at: waiting.deadline, context: context) }
            let timeout = timeout(of: waiting.wait)
            let remote = context.channel.remoteAddress.map { "\($0)" } ?? "a client"
            log.note("\(waiting.wait)", "closed the connection from \(remote): \(waiting.wait.reason) (\(timeout))")
            context.close(promise: nil)
        }
        timer = (scheduled, deadline)
    }

    private func stopTimer() {
        waiting = nil
        timer?.scheduled.cancel()
        timer = nil
    }

    private func timeout(of wait: Wait) -> Duration {
        wait == .head ? limits.requestHeadTimeout : limits.idleTimeout
    }
}

/// Counts open connections and stops accepting at ``ConnectionLimits/maximumConnections``.
struct ConnectionCounter: AvailableConnectionsDelegate {
    let maximum: Int
    let log: ThrottledLog
    var open = 0

    mutating func connectionOpened() { open += 1 }
    mutating func connectionClosed() { open -= 1 }

    func isAcceptingNewConnections() -> Bool {
        guard open < maximum else {
            log.note("connections", "\(open) client connections are open, the limit (--max-connections \(maximum)); new ones wait until one closes")
            return false
        }
        return true
    }
}
