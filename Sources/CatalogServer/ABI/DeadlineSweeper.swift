import Foundation

/// The thread that ends plugin calls at their deadlines, for ``PendingCalls``.
///
/// It sleeps until the earliest deadline it was told of, then has the calls past their
/// deadline ended and learns the earliest one left. Telling it of a deadline wakes it only when
/// that deadline is earlier than the one it sleeps until; a call that is answered in time is
/// simply gone when the thread next looks. So a call costs a comparison under a lock, where an
/// event-loop timer per call cost a wake-up of the event loop (to insert the timer) per call.
final class DeadlineSweeper: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    /// When the thread next looks; `nil` while no call waits.
    private var earliest: ContinuousClock.Instant?

    /// Starts the thread. `sweep` ends the calls whose deadline has passed at the instant it
    /// is given and returns the earliest deadline left, or `nil` when no call waits.
    func start(_ sweep: @escaping @Sendable (ContinuousClock.Instant) -> ContinuousClock.Instant?) {
        let thread = Thread { [self] in run(sweep) }
        thread.name = "call deadlines"
        thread.start()
    }

    /// A call that ends at `deadline` unless answered before.
    func note(_ deadline: ContinuousClock.Instant) {
        condition.lock()
        defer { condition.unlock() }
        guard earliest.map({ deadline < $0 }) ?? true else { return }
        earliest = deadline
        condition.signal()
    }

    private func run(_ sweep: @Sendable (ContinuousClock.Instant) -> ContinuousClock.Instant?) {
        condition.lock()
        while true {
            guard let due = earliest else {
                condition.wait()
                continue
            }
            let now = ContinuousClock.now
            guard due <= now else {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Double((due - now).nanoseconds) / 1e9))
                continue
            }
            // Deadlines noted while the calls are swept are kept; the sweep adds what is left.
            earliest = nil
            condition.unlock()
            let left = sweep(now)
            condition.lock()
            if let left, earliest.map({ left < $0 }) ?? true { earliest = left }
        }
    }
}
