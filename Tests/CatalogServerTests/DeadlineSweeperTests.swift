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
        try await Task.sleep(for: .milliseconds(600))
        let first = ended.withLock { $0 }
        #expect(first.count == 1 && first.first?.deadline == early, "only the early deadline has ended")
        if let at = first.first?.at { #expect(at >= early && at - early < .milliseconds(400)) }
        try await Task.sleep(until: late + .milliseconds(600))
        #expect(ended.withLock { $0.map(\.deadline) } == [early, late])
    }
}
