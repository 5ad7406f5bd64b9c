import CCatalogPlugin
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The calls into plugins that are waiting for an answer, keyed by `catalog_call_id`.
///
/// A plugin answers with `host->complete` or `host->respond`, from any thread, exactly once.
/// The table makes every other case harmless: an unknown, late or repeated answer finds no
/// waiter and is dropped with a log line; a call without an answer ends at its deadline.
///
/// Call ids are unpredictable 64-bit numbers, never 0 and never sequential, so a plugin cannot guess
/// the id of a call given to another plugin and answer it. (A plugin in a worker process is
/// held tighter still: its worker may answer only the calls it was sent; see ``WorkerSupervisor``.)
final class PendingCalls: Sendable {
    static let shared = PendingCalls()

    /// The id of the HTTP request the current task serves: set by the responder for the whole
    /// request, and by a worker process for the call it was sent. Calls made under it are tied
    /// to it, for the plugin's `log_call` lines.
    @TaskLocal static var requestID: String?

    private struct Waiter {
        var continuation: CheckedContinuation<PluginCallOutcome, Never>
        /// The id of the HTTP request the call serves, for the plugin's `log_call` lines.
        var requestID: String?
        /// Ends the call at its deadline; cancelled when the answer comes first.
        var timer: Scheduled<Void>?
    }

    private struct State {
        var waiting: [catalog_call_id: Waiter] = [:]

        /// A fresh id from `ids`: unpredictable, not 0, not in use.
        func newID(from ids: UnguessableIDs) -> catalog_call_id {
            while true {
                let id = catalog_call_id(ids.next())
                if id != 0 && waiting[id] == nil { return id }
            }
        }
    }

    private let ids = UnguessableIDs()
    private let state = Mutex(State())
    private let log = ThrottledLog(logger: Logger(label: "catalog.abi"))

    /// Starts a call with `start`, which receives the call id, and waits for its answer or
    /// for `deadline`, whichever comes first. `start` runs synchronously on the caller's thread
    /// and may deliver the answer before it returns.
    /// The call is tied to the request the calling task serves (``requestID``), so the
    /// plugin's `log_call` lines about it carry that request's id.
    ///
    /// - Parameters:
    ///   - deadline: How long the plugin has to answer.
    ///   - start: Makes the call into the plugin.
    func perform(deadline: Duration, _ start: (catalog_call_id) -> Void) async -> PluginCallOutcome {
        let requestID = Self.requestID
        let id = state.withLock { $0.newID(from: ids) }
        return await withCheckedContinuation { continuation in
            state.withLock { $0.waiting[id] = Waiter(continuation: continuation, requestID: requestID) }
            // A timer of an event loop (a heap entry; the callback only ends the call), not a
            // task per call: on a busy server most calls answer long before it fires.
            let timer = Self.timers.any().scheduleTask(in: .nanoseconds(deadline.nanoseconds)) { [self] () -> Void in
                finish(id, with: .timedOut, reportingUnknown: false)
            }
            let answered = state.withLock { state in
                guard state.waiting[id] != nil else { return true }
                state.waiting[id]?.timer = timer
                return false
            }
            if answered { timer.cancel() }
            start(id)
        }
    }

    /// Where deadlines are timed.
    private static let timers = MultiThreadedEventLoopGroup.singleton

    /// Delivers an answer for `id`. Returns whether a caller was still waiting for it.
    @discardableResult
    func finish(_ id: catalog_call_id, with outcome: PluginCallOutcome, reportingUnknown: Bool = true) -> Bool {
        let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
        waiter?.timer?.cancel()
        guard let continuation = waiter?.continuation else {
            if reportingUnknown {
                log.note("unknown call", level: .warning, "ignoring an answer for a call that is unknown, already answered or past its deadline")
            }
            return false
        }
        continuation.resume(returning: outcome)
        return true
    }

    /// The request id of a call still waiting for its answer, for `host->log_call`.
    func requestID(of id: catalog_call_id) -> String? {
        state.withLock { $0.waiting[id]?.requestID }
    }
}
