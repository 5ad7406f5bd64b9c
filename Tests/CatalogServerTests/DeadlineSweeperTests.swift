import Synchronization
import Testing

@testable import CatalogServer

@Suite("Deadline sweeper")
struct DeadlineSweeperTests {
    /// A deadline earlier than the one the sweeper sleeps until wakes it; a later one waits its turn.
    @Test func eachDeadlineEndsInItsTurn() async throws {
        let sweeper = DeadlineSweeper()
        let pending = Mutex<[ContinuousClock.Instant]>([])
        let ended = Mutex<[(deadline: ContinuousClock.Instant, at: ContinuousClock.Instant)]>([])
        sweeper.start { now in
            pending.withLock { deadlines in
                ended.withLock { ended in ended += deadlines.filter { $0 <= now }.map { ($0, now) } }
                deadlines.removeAll { $0 <= now }
                return deadlines.min()
            }
        }
        let start = ContinuousClock.now
        let late = start + .seconds(3), early = start + .milliseconds(100)
        for deadline in [late, early] {
            pending.withLock { $0.append(deadline) }
            sweeper.note(deadline)
        }
        // Waited for by polling, not for a fixed time: a loaded machine may start the thread, or
        // run this task, late. What is checked is when the sweeper ended each deadline.
        let limit = late + .seconds(10)
        while ended.withLock({ $0.count }) < 2 && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(10)) }
        let both = ended.withLock { $0 }
        #expect(both.map(\.deadline) == [early, late])
        // The early one ended before the late deadline: it woke the thread, which did not sleep
        // until the late one.
        if let first = both.first { #expect(first.at >= early && first.at < late) }
        if let last = both.last { #expect(last.at >= late) }
    }
}
