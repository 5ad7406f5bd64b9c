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
/// (``PluginMount/match(_:uri:)``, ``PluginMount/serve(_:body:requestID:answer:)``) and
/// writes what comes back — the same steps the responder takes, so a request is answered
/// alike whichever way it goes.
///
/// It sits in each connection's pipeline after ``ConnectionGuard``. Every other request goes
/// on to Hummingbird. The connection's responses keep the order of its requests: a request
/// for a plugin's route is taken only while Hummingbird answers none on the connection (else
/// Hummingbird serves it, through the same steps), and what a client sends while one of these
/// is answered is held, and the client not read further, until the answer has been written to
/// the socket — so a client that does not read its answers cannot make the server queue
/// them. A connection that is to end (a graceful shutdown, closed) takes no further request; a
/// shutdown or the end of the client's input waits for the answer in flight. (After a request
/// with `Connection: close`, the HTTP decoder refuses anything more.)
final class PluginRouteHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A request taken, while its body is read.
    private struct Reading {
        /// The head as the client sent it (a `HEAD` stays one).
        var head: HTTPRequest
        var uri: URI
        var mount: PluginMount
        var matched: PluginMount.MatchedRequest
        var body = ByteBuffer()
        var id: String
        var arrived: ContinuousClock.Instant
    }

    /// What the answer to a request taken is for.
    private struct Answered {
        /// The head as the client sent it.
        var head: HTTPRequest
        var path: String
        var id: String
        var arrived: ContinuousClock.Instant
    }

    /// A request that cannot be served, and its answer.
    private struct Refusal: Error {
        var error: APIError
        var answered: Answered
    }

    private enum State {
        /// No request of this handler's is in progress.
        case idle
        /// Reading the body of a request matched to a plugin's route.
        case reading(Reading)
        /// From the end of a request until its answer has been written.
        case answering
        /// Answered before its body ended (no route, a body over the limit): the rest of the
        /// body is dropped until its end. `written` once the answer has been written.
        case refusing(written: Bool)
    }

    private let responder: CatalogResponder
    private var state = State.idle
    /// Requests handed on to Hummingbird whose responses have not ended.
    private var passed = 0
    /// Whether the parts read belong to a request handed on to Hummingbird.
    private var passing = false
    /// Whether the connection is to end (a graceful shutdown, closed): no further request is taken.
    private var closing = false
    /// What the client sent while a request was answered, in order.
    private var held = CircularBuffer<HTTPRequestPart>()
    /// Whether a read was held back while parts are held.
    private var readHeld = false
    /// Whether held parts are being read (``readOn(context:)`` does not nest).
    private var draining = false
    /// A graceful shutdown or the end of the client's input, come while a request was
    /// answered: passed on once it has been.
    private var deferred: [Any] = []
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
        if held.isEmpty { receive(part, context: context) } else { held.append(part) }
    }

    /// Drops, holds, takes or hands on a part read. Returns whether it was handed on.
    @discardableResult
    private func receive(_ part: HTTPRequestPart, context: ChannelHandlerContext) -> Bool {
        switch (state, part) {
        case (.refusing(let written), .end):
            // The refused request is over once its answer is written too.
            state = .answering
            if written { self.written() }
            return false
        case (.refusing, .body):
            return false
        case (.answering, _), (.refusing, .head):
            held.append(part)
            return false
        default:
            return handle(part, context: context)
        }
    }

    /// Takes a part of a request, or hands it on to Hummingbird. Returns whether it was handed on.
    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) -> Bool {
        switch (state, part) {
        case (.idle, .head(let head)):
            guard !passing, passed == 0, !closing, let taken = take(head) else {
                passed += 1
                passing = true
                break
            }
            switch taken {
            case .success(let reading):
                state = .reading(reading)
            case .failure(let refusal):
                state = .refusing(written: false)
                write(refusal.error.buffered, for: refusal.answered)
            }
            return false
        case (.idle, .end):
            passing = false
        case (.idle, .body):
            break
        case (.reading(var reading), .body(let bytes)):
            state = .answering  // lets `reading` hold the only reference to its body
            guard reading.body.readableBytes + bytes.readableBytes <= PluginMount.maximumBodySize else {
                state = .refusing(written: false)
                write(PluginMount.bodyTooLarge.buffered, for: Self.answered(reading))
                return false
            }
            reading.body.writeImmutableBuffer(bytes)
            state = .reading(reading)
            return false
        case (.reading(let reading), .end):
            state = .answering
            serve(reading, context: context)
            return false
        case (.reading, .head), (.answering, _), (.refusing, _):
            // Not from the decoder (a head inside a body), or held while answering.
            held.append(part)
            return false
        }
        context.fireChannelRead(wrapInboundOut(part))
        return true
    }

    /// For a request for a plugin's route, the request to read, or what to answer at once (no
    /// route, the plugin not serving); `nil` for any other request.
    private func take(_ head: HTTPRequest) -> Result<Reading, Refusal>? {
        guard let target = head.path else { return nil }
        let uri = URI(target)
        guard case .plugin(let mount) = responder.destination(of: head, path: uri.path) else { return nil }
        let (id, arrived) = (RequestID.make(for: head), ContinuousClock.now)
        // HEAD is GET without the body (RFC 9110 §9.3.2): matched and served as GET.
        var served = head
        if head.method == .head { served.method = .get }
        switch mount.match(served, uri: uri) {
        case .success(let matched):
            return .success(Reading(head: head, uri: uri, mount: mount, matched: matched, id: id, arrived: arrived))
        case .failure(let error):
            return .failure(Refusal(error: error, answered: Answered(head: head, path: uri.path, id: id, arrived: arrived)))
        }
    }

    private static func answered(_ reading: Reading) -> Answered {
        Answered(head: reading.head, path: reading.uri.path, id: reading.id, arrived: reading.arrived)
    }

    private func serve(_ reading: Reading, context: ChannelHandlerContext) {
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        let answered = Self.answered(reading)
        reading.mount.serve(reading.matched, body: reading.body, requestID: reading.id) { response in
            if loop.eventLoop.inEventLoop {
                loop.value.write(response, for: answered)
            } else {
                loop.eventLoop.execute { loop.value.write(response, for: answered) }
            }
        }
    }

    /// Writes the answer to a request taken; once it is written, reads on.
    private func write(_ response: BufferedResponse, for reading: Answered) {
        guard let context, isAnswering else { return }
        var headers = response.headers
        var logger = responder.logger
        if responder.accessLogLevel != nil { logger[metadataKey: RequestID.metadataKey] = .string(reading.id) }
        responder.finish(
            &headers, id: reading.id, method: reading.head.method, path: reading.path, status: response.status,
            arrived: reading.arrived, logger: logger)
        headers[.date] = currentDate()
        headers[.server] = CatalogServer.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: response.status, headerFields: headers))), promise: nil)
        if reading.head.method != .head && response.body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(response.body)), promise: nil)
        }
        let closes = reading.head.headerFields[.connection] == "close"
        if closes { closing = true }
        let loop = NIOLoopBound(self, eventLoop: context.eventLoop)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { result in
            // As Hummingbird does: the connection ends with this answer, once it is written.
            if closes { return channel.close(promise: nil) }
            loop.value.written(failed: { if case .failure = result { true } else { false } }())
        }
    }

    /// The answer to a request taken has been written, or the connection failed (nothing held
    /// is taken then).
    private func written(failed: Bool = false) {
        guard let context else { return }
        if failed { closing = true }
        switch state {
        case .answering:
            state = .idle
            readOn(context: context)
        case .refusing(let written) where !written:
            // Answered; the rest of its body is still to be dropped. A shutdown need not wait for it.
            state = .refusing(written: true)
            if !draining { fireDeferred(context: context) }
        default:
            break
        }
    }

    /// Reads what was held while a request was answered, until one is taken and answered again;
    /// then, with nothing held, lets the client be read and passes on what was deferred.
    private func readOn(context: ChannelHandlerContext) {
        // An answer written while held parts are read (a 404, say) comes back here: the loop
        // below goes on with the next part instead, so pipelined requests cannot nest calls.
        guard !draining else { return }
        draining = true
        if closing { held.removeAll() }
        var handedOn = false
        while !held.isEmpty {
            if case .answering = state { break }
            handedOn = receive(held.removeFirst(), context: context) || handedOn
        }
        draining = false
        if handedOn { context.fireChannelReadComplete() }
        guard held.isEmpty else { return }
        if readHeld {
            readHeld = false
            context.read()
        }
        fireDeferred(context: context)
    }

    /// Passes on the deferred events that need wait no longer, in order.
    private func fireDeferred(context: ChannelHandlerContext) {
        while let event = deferred.first, !mustWait(event) {
            deferred.removeFirst()
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Whether `event` must wait before Hummingbird sees it: a graceful shutdown (on which
    /// Hummingbird closes the connection at once unless it answers a request itself) while a
    /// request is read, answered or held; the end of the client's input (on which Hummingbird
    /// ends the connection) while an answer is on its way or requests are held — a request
    /// being read then never completes.
    private func mustWait(_ event: Any) -> Bool {
        switch event {
        case is ChannelShouldQuiesceEvent: !held.isEmpty || isAnswering || isReading
        case ChannelEvent.inputClosed as ChannelEvent: !held.isEmpty || isAnswering
        default: false
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
        if event is ChannelShouldQuiesceEvent { closing = true }
        guard deferred.isEmpty && !mustWait(event) else { return deferred.append(event) }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        held.removeAll()
        context.fireChannelInactive()
    }

    /// Whether an answer is on its way: awaited, or being written.
    private var isAnswering: Bool {
        switch state {
        case .answering: true
        case .refusing(let written): !written
        default: false
        }
    }

    private var isReading: Bool {
        if case .reading = state { true } else { false }
    }

    /// The `Date` header's value (RFC 9110 §5.6.7), made at most once a second. (Hummingbird
    /// keeps its own for the responses it writes, out of reach.)
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
