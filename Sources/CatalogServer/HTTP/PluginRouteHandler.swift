import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Serves requests for plugins' routes on the connection's event loop, so that a plugin's
/// answer goes from the plugin's thread straight to the event loop that writes it.
///
/// Through Hummingbird's responder, a request crosses threads four times: the event loop
/// hands it to a task on the concurrency pool, the task to the plugin's thread, the answer
/// comes back to the pool, and the pool hands the response to the event loop. On a busy
/// machine each crossing may wake a sleeping thread. Here, it crosses twice, as a request for
/// one of the framework's routes does: to the plugin's thread and back. Plugin code still
/// never runs on the event loop: the loop reads the request, decides where it goes
/// (``CatalogResponder/destination(of:path:)``), hands it to the plugin
/// (``PluginMount/serve(_:uri:body:requestID:answer:)``) and writes what comes back — the same
/// steps the responder takes, so a request is answered alike whichever way it goes.
///
/// It sits in each connection's pipeline after ``ConnectionGuard``. Every other request goes
/// on to Hummingbird. The connection's responses keep the order of its requests: a request
/// for a plugin's route is taken only while Hummingbird answers none on the connection (else
/// Hummingbird serves it, through the same steps), and what a client sends while one of these
/// is answered is held, and not read further, until the answer is written.
final class PluginRouteHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A request taken, while its body is read.
    private struct Reading {
        var head: HTTPRequest
        /// The head's path and query.
        var uri: URI
        var mount: PluginMount
        var body: ByteBuffer
        var tooLarge = false
        var id: String
        var arrived: ContinuousClock.Instant
    }

    private enum State {
        /// No request of this handler's is in progress.
        case idle
        /// Reading a request's body.
        case reading(Reading)
        /// Waiting for a response to write.
        case answering
    }

    private let responder: CatalogResponder
    private var state = State.idle
    /// Requests handed on to Hummingbird whose responses have not ended.
    private var passed = 0
    /// Whether the parts read belong to a request handed on to Hummingbird.
    private var passing = false
    /// What the client sent while a request was answered, in order.
    private var held = CircularBuffer<HTTPRequestPart>()
    /// Whether a read was held back while parts are held.
    private var readHeld = false
    /// A quiesce event that came while a request was answered: passed on after it.
    private var quiesce: ChannelShouldQuiesceEvent?
    private var context: ChannelHandlerContext?
    /// The `Date` header's value, and the second it was made in.
    private var date = (second: 0, value: "")

    init(responder: CatalogResponder) {
        self.responder = responder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .answering = state {
            held.append(part)
        } else if held.isEmpty {
            handle(part, context: context)
        } else {
            held.append(part)
        }
    }

    /// Takes a part of a request, or hands it on to Hummingbird. Returns whether it was handed on.
    @discardableResult
    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) -> Bool {
        switch (state, part) {
        case (.idle, .head(let head)):
            if !passing, passed == 0, let reading = reading(for: head) {
                state = .reading(reading)
                return false
            }
            passed += 1
            passing = true
        case (.idle, .end):
            passing = false
        case (.idle, .body):
            break
        case (.reading(var reading), .body(let bytes)):
            state = .answering  // not a copy of the buffer to append to
            if reading.tooLarge || reading.body.readableBytes + bytes.readableBytes > PluginMount.maximumBodySize {
                reading.tooLarge = true
                reading.body.clear()
            } else {
                reading.body.writeImmutableBuffer(bytes)
            }
            state = .reading(reading)
            return false
        case (.reading(let reading), .end):
            state = .answering
            serve(reading, context: context)
            return false
        case (.reading, .head), (.answering, _):
            // A head inside a body cannot come from the decoder; what comes while answering is held.
            held.append(part)
            return false
        }
        context.fireChannelRead(wrapInboundOut(part))
        return true
    }

    /// The request with `head`, to read, when it is for a plugin's route; else `nil`.
    private func reading(for head: HTTPRequest) -> Reading? {
        guard let target = head.path else { return nil }
        let uri = URI(target)
        guard case .plugin(let mount) = responder.destination(of: head, path: uri.path) else { return nil }
        return Reading(head: head, uri: uri, mount: mount, body: ByteBuffer(), id: RequestID.make(for: head), arrived: .now)
    }

    private func serve(_ reading: Reading, context: ChannelHandlerContext) {
        let isHead = reading.head.method == .head
        var served = reading.head
        if isHead { served.method = .get }
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        let finish = { @Sendable (response: BufferedResponse) in
            if loop.eventLoop.inEventLoop {
                loop.value.write(response, for: reading, isHead: isHead)
            } else {
                loop.eventLoop.execute { loop.value.write(response, for: reading, isHead: isHead) }
            }
        }
        if reading.tooLarge { return finish(PluginMount.bodyTooLarge.buffered) }
        reading.mount.serve(served, uri: reading.uri, body: reading.body, requestID: reading.id, answer: finish)
    }

    /// Writes the response to a request taken, then reads on.
    private func write(_ response: BufferedResponse, for reading: Reading, isHead: Bool) {
        guard let context, case .answering = state else { return }
        state = .idle
        var headers = response.headers
        var logger = responder.logger
        if responder.accessLogLevel != nil { logger[metadataKey: RequestID.metadataKey] = .string(reading.id) }
        responder.finish(
            &headers, id: reading.id, method: reading.head.method, path: reading.uri.path, status: response.status, arrived: reading.arrived,
            logger: logger)
        headers[.date] = currentDate()
        headers[.server] = CatalogServer.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: headers))), promise: nil)
        if !isHead && response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(response.body)), promise: nil)
        }
        guard reading.head.headerFields[.connection] != "close" else {
            // As Hummingbird does: the connection ends with this response.
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if let quiesce {
            self.quiesce = nil
            context.fireUserInboundEventTriggered(quiesce)
        }
        readOn(context: context)
    }

    /// Reads what was held while a request was answered, until one is taken again.
    private func readOn(context: ChannelHandlerContext) {
        var handedOn = false
        while !held.isEmpty {
            if case .answering = state { break }
            handedOn = handle(held.removeFirst(), context: context) || handedOn
        }
        if handedOn { context.fireChannelReadComplete() }
        if held.isEmpty && readHeld {
            readHeld = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        // While parts are held, the client is not read further.
        if held.isEmpty {
            context.read()
        } else {
            readHeld = true
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Hummingbird's responses pass here; this handler's own do not.
        if case .end = unwrapOutboundIn(data) { passed = max(0, passed - 1) }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelShouldQuiesceEvent, !isIdle {
            quiesce = event
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private var isIdle: Bool {
        if case .idle = state { true } else { false }
    }

    /// The `Date` header's value (RFC 9110 §5.6.7), made at most once a second.
    private func currentDate() -> String {
        var now = time(nil)
        guard now != date.second else { return date.value }
        var parts = tm()
        gmtime_r(&now, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let value = "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
        date = (now, value)
        return value
    }
}
