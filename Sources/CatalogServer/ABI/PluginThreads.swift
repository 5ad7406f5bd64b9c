import Foundation

/// The threads that call into one plugin's `handle_request`.
///
/// Each plugin has its own: a plugin that blocks in its handler (against the ABI's rules) ties
/// up only its own threads, never the Swift concurrency pool, an event loop, or another
/// plugin's calls. A job starts on an idle thread, or on a new one while fewer than `limit`
/// exist; idle threads wait for the next job, and end after ``idleLifetime`` without one (the
/// last one stays), so a burst of load does not leave its threads behind.
final class PluginThreads: @unchecked Sendable {
    /// How long a thread beyond the first waits for a job before it ends.
    static let idleLifetime: TimeInterval = 10

    private let name: String
    private let limit: Int
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [@Sendable () -> Void] = []
    private var threads = 0
    private var idle = 0

    init(name: String, limit: Int) {
        self.name = name
        self.limit = max(1, limit)
    }

    /// Runs `job` on one of the plugin's threads.
    func run(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        if idle > jobs.count - 1 || threads >= limit {
            condition.signal()
        } else {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.name = "plugin \(name) #\(threads)"
            thread.start()
        }
        condition.unlock()
    }

    private func work() {
        condition.lock()
        while true {
            while jobs.isEmpty {
                idle += 1
                let woken = condition.wait(until: Date(timeIntervalSinceNow: Self.idleLifetime))
                idle -= 1
                if !woken && jobs.isEmpty && threads > 1 {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
