import Foundation
import Synchronization
import Testing

@testable import CatalogServer

@Suite("Plugin threads")
struct PluginThreadsTests {
    /// Quick jobs queue behind the busy thread instead of waking (or starting) a thread each:
    /// the old policy started a thread per job that found none idle, up to the limit.
    @Test func quickJobsShareAThread() async throws {
        let threads = PluginThreads(name: "quick", limit: 64)
        let seen = Mutex<Set<String>>([])
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<200 {
            threads.run {
                seen.withLock { _ = $0.insert("\(pthread_self())") }
                done.signal()
            }
        }
        for _ in 0..<200 { done.wait() }
        // Stalls on a loaded machine may start a few more; one thread per job would be 64.
        #expect(seen.withLock { $0.count } <= 8, "\(seen.withLock { $0.count }) threads for 200 quick jobs")
    }

    /// The system knows a plugin's threads by the plugin's name (what `top -H` shows), cut to
    /// the 15 bytes Linux keeps.
    @Test(arguments: [("named", "plugin named #1"), ("a_rather_long_name", "plugin a_rather"), ("aéb", "plugin aéb #1"), ("abcdééé", "plugin abcdéé"), ("abcdeééx", "plugin abcdeé")])
    func threadsCarryThePluginsName(plugin: String, expected: String) {
        let threads = PluginThreads(name: plugin, limit: 1)
        let name = Mutex("")
        let done = DispatchSemaphore(value: 0)
        threads.run {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            name.withLock { $0 = comm.trimmingCharacters(in: .newlines) }
            done.signal()
        }
        done.wait()
        #expect(name.withLock { $0 } == expected)
    }

    /// A job that blocks does not hold the jobs queued behind it: past the stall limit another
    /// thread takes them.
    @Test func aBlockedJobDoesNotHoldTheQueue() async throws {
        let threads = PluginThreads(name: "blocked", limit: 4)
        let release = DispatchSemaphore(value: 0)
        let ran = DispatchSemaphore(value: 0)
        threads.run { release.wait() }
        threads.run { ran.signal() }
        #expect(ran.wait(timeout: .now() + 5) == .success, "the second job never ran while the first blocked")
        release.signal()
    }

    /// No more threads than the limit, even with every one blocked.
    @Test func theLimitHolds() async throws {
        let threads = PluginThreads(name: "limited", limit: 2)
        let release = DispatchSemaphore(value: 0)
        let started = Atomic<Int>(0)
        for _ in 0..<5 {
            threads.run {
                started.add(1, ordering: .relaxed)
                release.wait()
            }
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(started.load(ordering: .relaxed) == 2)
        // Every thread busy at the limit: no stall check keeps firing while the queue waits.
        #expect(!threads.isWatchingForStalls)
        for _ in 0..<5 { release.signal() }
    }
}
