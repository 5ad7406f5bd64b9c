import Foundation

extension Thread {
    /// Starts a thread that the system knows by `name` — what `top -H` and `ps -L` show.
    ///
    /// The thread names itself: `Thread.name` set before `start` never reaches the system, and
    /// the thread would keep its creator's name. Linux keeps the first 15 bytes.
    ///
    /// ```swift
    /// Thread.start(named: "call deadlines") { sweepForever() }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The thread's name.
    ///   - body: What the thread runs; it ends when `body` returns.
    static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        let systemName = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        Thread {
            Thread.current.name = systemName
            body()
        }.start()
    }
}
