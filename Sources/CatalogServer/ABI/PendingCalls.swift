import CCatalogPlugin
import Logging
import Synchronization

/// The calls into plugins that are waiting for an answer, keyed by `catalog_call_id`.
///
/// A plugin answers with `host->complete` or `host->respond`, from any thread, exactly once.
/// The table makes every other case harmless: an unknown, late or repeated answer finds no
/// waiter and is dropped with a log line; a call without an answer ends at its deadline.
///
/// Deadlines are kept by one thread of the table's own (``DeadlineSweeper``), which sleeps until
/// the earliest one: a call adds no timer, and wakes nothing unless its deadline is the
/// earliest — on a busy server the earliest belongs to an older call.
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
        /// Called exactly once: ``finish(_:with:reportingUnknown:)`` takes the waiter out of
        /// the table under its lock before calling it, so no second answer can reach it.
        var answer: @Sendable (PluginCallOutcome) -> Void
        /// The id of the HTTP request the call serves, for the plugin's `log_call` lines.
        var requestID: String?
        /// When the call ends without its answer.
        var deadline: ContinuousClock.Instant
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
    private let sweeper = DeadlineSweeper()

    init() {
        sweeper.start { [self] now in endCalls(pastDeadlineAt: now) }
    }

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
        return await withUnsafeContinuation { continuation in
            self.start(deadline: deadline, requestID: requestID, start) { continuation.resume(returning: $0) }
        }
    }

    /// Starts a call with `start`, which receives the call id, and hands its answer, or the
    /// end of `deadline`, whichever comes first, to `answer`: once, on the thread that
    /// answers (the plugin's, or the deadline thread's). `start` runs synchronously on the
    /// caller's thread and may deliver the answer before it returns.
    ///
    /// - Parameters:
    ///   - deadline: How long the plugin has to answer.
    ///   - requestID: The id of the HTTP request the call serves, for the plugin's `log_call` lines.
    ///   - start: Makes the call into the plugin.
    ///   - answer: Receives how the call ended. It must not block: it runs on the thread that
    ///     ends the call — the plugin's, a worker's reader, or the deadline thread.
    func start(
        deadline: Duration, requestID: String?, _ start: (catalog_call_id) -> Void,
        answer: @escaping @Sendable (PluginCallOutcome) -> Void
    ) {
        let deadline = ContinuousClock.now + deadline
        let id = state.withLock { state in
            let id = state.newID(from: ids)
            state.waiting[id] = Waiter(answer: answer, requestID: requestID, deadline: deadline)
            return id
        }
        sweeper.note(deadline)
        start(id)
    }

    /// Ends every call whose deadline has passed at `now`, and returns the earliest deadline left.
    private func endCalls(pastDeadlineAt now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let (expired, earliest) = state.withLock { state in
            var expired: [catalog_call_id] = []
            var earliest: ContinuousClock.Instant?
            for (id, waiter) in state.waiting {
                if waiter.deadline <= now {
                    expired.append(id)
                } else if earliest.map({ waiter.deadline < $0 }) ?? true {
                    earliest = waiter.deadline
                }
            }
            return (expired, earliest)
        }
        for id in expired { finish(id, with: .timedOut, reportingUnknown: false) }
        return earliest
    }

    /// Delivers an answer for `id`. Returns whether a caller was still waiting for it.
    @discardableResult
    func finish(_ id: catalog_call_id, with outcome: PluginCallOutcome, reportingUnknown: Bool = true) -> Bool {
        let waiter = state.withLock { $0.waiting.removeValue(forKey: id) }
        guard let waiter else {
            if reportingUnknown {
                log.note("unknown call", level: .warning, "ignoring an answer for a call that is unknown, already answered or past its deadline")
            }
            return false
        }
        waiter.answer(outcome)
        return true
    }

    /// The request id of a call still waiting for its answer, for `host->log_call`.
    func requestID(of id: catalog_call_id) -> String? {
        state.withLock { $0.waiting[id]?.requestID }
    }
}
