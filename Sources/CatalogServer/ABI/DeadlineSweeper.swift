import Foundation
import Synchronization

/// The thread that ends plugin calls at their deadlines, for ``PendingCalls``.
///
/// It sleeps until the earliest deadline it was told of, then has the calls past their
/// deadline ended and learns the earliest one left. Telling it of a deadline wakes it only when
/// that deadline is earlier than the one it sleeps until; a call that is answered in time is
/// simply gone when the thread next looks. So a call costs a comparison under a lock, where an
/// event-loop timer per call cost a wake-up of the event loop (to insert the timer) per call.
/// It sleeps on the monotonic clock: setting the system's clock moves no deadline.
final class DeadlineSweeper: Sendable {
    /// When the thread next looks; `nil` while no call waits.
    private let earliest = Mutex<ContinuousClock.Instant?>(nil)
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the thread. `sweep` ends the calls whose deadline has passed at the instant it
    /// is given and returns the earliest deadline left, or `nil` when no call waits.
    func start(_ sweep: @escaping @Sendable (ContinuousClock.Instant) -> ContinuousClock.Instant?) {
        Thread.start(named: "call deadlines") { [self] in run(sweep) }
    }

    /// A call that ends at `deadline` unless answered before.
    func note(_ deadline: ContinuousClock.Instant) {
        let earlier = earliest.withLock { earliest in
            guard earliest.map({ deadline < $0 }) ?? true else { return false }
            earliest = deadline
            return true
        }
        if earlier { wake.signal() }
    }

    private func run(_ sweep: @Sendable (ContinuousClock.Instant) -> ContinuousClock.Instant?) {
        while true {
            guard let due = earliest.withLock({ $0 }) else {
                wake.wait()
                continue
            }
            let now = ContinuousClock.now
            guard due <= now else {
                // Woken early by an earlier deadline (or a stale signal), it looks again.
                _ = wake.wait(timeout: .now() + .nanoseconds(Int((due - now).nanoseconds)))
                continue
            }
            // A deadline noted from here on is kept; one noted before, earlier than `due`, has
            // passed too and is swept now.
            earliest.withLock { $0 = nil }
            let left = sweep(now)
            earliest.withLock { earliest in
                if let left, earliest.map({ left < $0 }) ?? true { earliest = left }
            }
        }
    }
}
