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
        // Waited for by polling, not for a fixed time: a loaded machine may start the thread late.
        func endedOnes(within limit: ContinuousClock.Instant, count: Int) async throws -> [(deadline: ContinuousClock.Instant, at: ContinuousClock.Instant)] {
            while ended.withLock({ $0.count }) < count && ContinuousClock.now < limit { try await Task.sleep(for: .milliseconds(10)) }
            return ended.withLock { $0 }
        }
        let first = try await endedOnes(within: late - .milliseconds(500), count: 1)
        #expect(first.count == 1 && first.first?.deadline == early, "only the early deadline has ended")
        // Ended before the late deadline: the early one woke the thread, which did not sleep until the late one.
        if let at = first.first?.at { #expect(at >= early && at < late) }
        let both = try await endedOnes(within: late + .seconds(10), count: 2)
        #expect(both.map(\.deadline) == [early, late])
        if let at = both.last?.at { #expect(at >= late) }
    }
}
