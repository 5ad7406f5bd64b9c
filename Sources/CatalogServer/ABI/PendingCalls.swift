import CCatalogPlugin
import Logging
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

    private struct State {
        /// A secret drawn from the system's random source once; ids are a keyed hash of it and
        /// a counter, so they cost no system call per call and still cannot be predicted from
        /// the ids a plugin sees.
        let secret: (UInt64, UInt64) = {
            var system = SystemRandomNumberGenerator()
            return (system.next(), system.next())
        }()
        var counter: UInt64 = 0
        var waiting: [catalog_call_id: CheckedContinuation<PluginCallOutcome, Never>] = [:]

        /// A fresh id: unpredictable, not 0, not in use.
        mutating func newID() -> catalog_call_id {
            while true {
                counter &+= 1
                var hasher = Hasher()  // SipHash, keyed with a per-process random seed, plus the secret
                hasher.combine(secret.0)
                hasher.combine(counter)
                hasher.combine(secret.1)
                let id = catalog_call_id(UInt(bitPattern: hasher.finalize()))
                if id != 0 && waiting[id] == nil { return id }
            }
        }
    }

    private let state = Mutex(State())
    private let log = ThrottledLog(logger: Logger(label: "catalog.abi"))

    /// Starts a call with `start`, which receives the call id, and waits for its answer or
    /// for `deadline`, whichever comes first. `start` runs synchronously on the caller's thread
    /// and may deliver the answer before it returns.
    func perform(deadline: Duration, _ start: (catalog_call_id) -> Void) async -> PluginCallOutcome {
        let id = state.withLock { $0.newID() }
        let timer = Task { [self] in
            try? await Task.sleep(for: deadline)
            if !Task.isCancelled { finish(id, with: .timedOut, reportingUnknown: false) }
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            state.withLock { $0.waiting[id] = continuation }
            start(id)
        }
    }

    /// Delivers an answer for `id`. Returns whether a caller was still waiting for it.
    @discardableResult
    func finish(_ id: catalog_call_id, with outcome: PluginCallOutcome, reportingUnknown: Bool = true) -> Bool {
        let continuation = state.withLock { $0.waiting.removeValue(forKey: id) }
        guard let continuation else {
            if reportingUnknown {
                log.note("unknown call", level: .warning, "ignoring an answer for a call that is unknown, already answered or past its deadline")
            }
            return false
        }
        continuation.resume(returning: outcome)
        return true
    }
}
