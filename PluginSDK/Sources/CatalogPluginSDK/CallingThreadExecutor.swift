import Foundation

/// Runs one call of the host into the plugin — a request, an operation, a lifecycle call — to
/// its end on the thread the host called on, with that thread as the task's executor.
///
/// The host calls `handle_request` and `invoke` on the plugin's own threads and `init`,
/// `start`, `stop` on threads it starts for them; running the plugin's `async` code right there
/// keeps it off the Swift concurrency pool the host and every other plugin share (the Swift
/// runtime is one per process), and saves two thread hand-offs per request. Work the code
/// awaits elsewhere (a sleep, another thread's answer) comes back to this thread, which waits
/// for it.
final class CallingThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var jobs: [UnownedJob] = []
    private var finished = false

    private init() {}

    /// Runs `body` on the calling thread until it returns.
    ///
    /// - Parameter body: The plugin's work for one call, which answers the host itself.
    static func run(_ body: @escaping @Sendable () async -> Void) {
        let executor = CallingThreadExecutor()
        Task(executorPreference: executor) {
            await body()
            executor.finish()
        }
        executor.drain()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.signal()
        condition.unlock()
    }

    /// Runs the task's jobs as they come, until the task has finished.
    private func drain() {
        while true {
            condition.lock()
            while jobs.isEmpty && !finished { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
