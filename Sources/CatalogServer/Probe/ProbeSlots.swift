import Synchronization

/// How many probes run at once while the server loads its plugins.
///
/// A probe holds a slot until it finishes or has run for ``patience`` (5 s), whichever comes first:
/// probes of quick files keep the machine's cores busy without crowding them, and a probe that
/// hangs (it will be killed at the probe timeout) soon stops counting, so it never holds back
/// the probes of other files.
final class ProbeSlots: Sendable {
    /// How long a probe counts against the slots: longer than a plugin takes to load on a busy
    /// machine, far shorter than the probe timeout.
    static let patience: Duration = .seconds(5)

    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: max(1, count)))
    }

    /// Runs `probe` once a slot is free.
    func run<Result: Sendable>(_ probe: @Sendable () async -> Result) async -> Result {
        await acquire()
        let released = Mutex(false)
        let releaseOnce: @Sendable () -> Void = { [self] in
            if released.withLock({ released in defer { released = true }; return !released }) { release() }
        }
        let patience = Task {
            try? await Task.sleep(for: Self.patience)
            releaseOnce()
        }
        defer {
            patience.cancel()
            releaseOnce()
        }
        return await probe()
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let admitted = state.withLock { state in
                guard state.free > 0 else {
                    state.waiting.append(continuation)
                    return false
                }
                state.free -= 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
