import CCatalogPlugin
import Logging
import Synchronization

/// The calls into plugins that are waiting for an answer, keyed by `catalog_call_id`.
///
/// A plugin answers with `host->complete` or `host->respond`, from any thread, exactly once.
/// The table makes every other case harmless: an unknown, late or repeated answer finds no
/// waiter and is dropped with a log line; a call without an answer ends at its deadline.
final class PendingCalls: Sendable {
    static let shared = PendingCalls()

    private struct State {
        var nextID: catalog_call_id = 1
        var waiting: [catalog_call_id: CheckedContinuation<PluginCallOutcome, Never>] = [:]
    }

    private let state = Mutex(State())
    private let logger = Logger(label: "catalog.abi")

    /// Starts a call with `start`, which receives the call id, and waits for its answer or
    /// for `deadline`, whichever comes first. `start` runs synchronously on the caller's thread
    /// and may deliver the answer before it returns.
    func perform(deadline: Duration, _ start: (catalog_call_id) -> Void) async -> PluginCallOutcome {
        let id = state.withLock { state in
            defer { state.nextID &+= 1 }
            return state.nextID
        }
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
                logger.warning("ignoring an answer for call \(id): it is unknown, already answered or past its deadline")
            }
            return false
        }
        continuation.resume(returning: outcome)
        return true
    }
}
