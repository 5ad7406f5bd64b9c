import Foundation
import Synchronization
import Testing

@testable import CatalogServer
@testable import CatalogTestSupport

/// The host's one timeout race (`withDeadline`): worker start and stop and probes use it.
@Suite("Deadline race")
struct DeadlineRaceTests {
    @Test func workThatFinishesInTimeGivesItsValue() async {
        let outcome = await withDeadline(.seconds(10), onTimeout: {}) { 42 }
        guard case .finished(let value) = outcome else { Issue.record("timed out"); return }
        #expect(value == 42)
    }

    @Test func pastTheDeadlineOnTimeoutEndsBlockedWork() async {
        // The work blocks a thread until it is released; only onTimeout releases it.
        let release = DispatchSemaphore(value: 0)
        let released = Atomic<Bool>(false)
        let started = ContinuousClock.now
        let outcome = await withDeadline(.milliseconds(100), onTimeout: { released.store(true, ordering: .relaxed); release.signal() }) {
            await onDedicatedThread { release.wait() }
        }
        guard case .timedOut = outcome else { Issue.record("finished without being released"); return }
        let wasReleased = released.load(ordering: .relaxed)
        #expect(wasReleased)
        // Far more than the 100 ms it takes: a busy machine running every test at once can be slow.
        #expect(ContinuousClock.now - started < .seconds(30), "returns once the released work ends")
    }
}
