import Foundation
import NIOCore
import NIOPosix

/// The threads that call into one plugin's `handle_request`.
///
/// Each plugin has its own: a plugin that blocks in its handler (against the ABI's rules) ties
/// up only its own threads, never the Swift concurrency pool, an event loop, or another
/// plugin's calls.
///
/// A thread that finishes a job takes the next queued one without sleeping, so a job is
/// queued behind a busy thread rather than handed to a sleeping one: waking a thread per call
/// (a futex wake and a context switch) is most of what a fast call costs. A job waits at most
/// ``stallLimit`` that way; past it another thread takes it (an idle one, or a new one while
/// fewer than `limit` exist), so slow or blocking calls still run side by side. Idle threads
/// end after ``idleLifetime`` without a job (the last one stays), so a burst of load does not
/// leave its threads behind.
final class PluginThreads: @unchecked Sendable {
    /// How long a thread beyond the first waits for a job before it ends.
    static let idleLifetime: TimeInterval = 10
    /// How long a queued job waits for a busy thread before another thread takes it.
    static let stallLimit: TimeAmount = .milliseconds(1)

    private struct Job {
        var queued: NIODeadline
        var run: @Sendable () -> Void
    }

    private let name: String
    private let limit: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs = CircularBuffer<Job>()
    private var threads = 0
    /// Threads waiting for a job.
    private var idle = 0
    /// Threads running a job.
    private var busy = 0
    /// Idle threads signalled that have not woken yet.
    private var signalled = 0
    /// Threads started that have not reached the queue yet.
    private var starting = 0
    /// Whether a stall check is scheduled.
    private var checking = false

    init(name: String, limit: Int) {
        self.name = name
        self.limit = max(1, limit)
    }

    /// Runs `job` on one of the plugin's threads.
    func run(_ job: @escaping @Sendable () -> Void) {
        // Made before the lock is taken: the plugin's thread takes it for every job too.
        let job = Job(queued: .now(), run: job)
        condition.lock()
        jobs.append(job)
        var waking = Waking.none
        if busy + signalled + starting == 0 {
            // No thread is on its way to the queue: wake or start one.
            waking = wakeOrStart()
        } else if !checking && anotherCanTake {
            // A busy thread will take it; unless it stalls.
            scheduleStallCheck(in: Self.stallLimit)
        }
        condition.unlock()
        wake(waking)
    }

    /// Whether a thread besides the busy ones could take a job: an idle one not yet
    /// signalled, or a new one. When none can (every thread busy at the limit), the next
    /// thread to finish takes the queue's oldest job, and watching for stalls is pointless.
    /// Called locked.
    private var anotherCanTake: Bool { idle > signalled || threads < limit }

    /// Whether a stall check is scheduled (for tests).
    var isWatchingForStalls: Bool {
        condition.lock()
        defer { condition.unlock() }
        return checking
    }

    /// What ``wakeOrStart()`` settled on, done once the lock is released: a thread woken while
    /// the lock is held would wake only to wait for it.
    private enum Waking {
        case none
        case signal
        case start(String)
    }

    /// Settles on waking an idle thread, or starting one while fewer than `limit` exist, and
    /// counts it. Called locked; pass the result to ``wake(_:)`` after unlocking.
    private func wakeOrStart() -> Waking {
        if idle > signalled {
            signalled += 1
            return .signal
        } else if threads < limit {
            threads += 1
            starting += 1
            return .start("plugin \(name) #\(threads)")
        }
        return .none
    }

    /// Does what ``wakeOrStart()`` settled on. Called unlocked.
    private func wake(_ waking: Waking) {
        switch waking {
        case .none: break
        case .signal: condition.signal()
        case .start(let name): Thread.start(named: name) { [self] in work() }
        }
    }

    /// Checks in `delay` whether the oldest queued job has waited past ``stallLimit``. Called locked.
    private func scheduleStallCheck(in delay: TimeAmount) {
        checking = true
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: delay) { [self] in checkStall() }
    }

    private func checkStall() {
        condition.lock()
        checking = false
        var waking = Waking.none
        if let oldest = jobs.first?.queued, anotherCanTake {
            let waited = NIODeadline.now() - oldest
            if waited >= Self.stallLimit {
                waking = wakeOrStart()
                if anotherCanTake { scheduleStallCheck(in: Self.stallLimit) }
            } else {
                scheduleStallCheck(in: Self.stallLimit - waited)
            }
        }
        condition.unlock()
        wake(waking)
    }

    private func work() {
        condition.lock()
        starting -= 1
        while true {
            while jobs.isEmpty {
                idle += 1
                let woken = condition.wait(until: Date(timeIntervalSinceNow: Self.idleLifetime))
                idle -= 1
                if signalled > 0 { signalled -= 1 }
                if !woken && jobs.isEmpty && threads > 1 {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs.removeFirst()
            busy += 1
            condition.unlock()
            job.run()
            condition.lock()
            busy -= 1
        }
    }
}
