import Foundation

extension Thread {
    /// Starts a thread that the system knows by `name` — what `top -H` and `ps -L` show.
    ///
    /// The thread names itself: `Thread.name` set before `start` never reaches the system, and
    /// the thread would keep its creator's name. Linux keeps 15 bytes: the name is cut to the
    /// characters that fit.
    ///
    /// ```swift
    /// Thread.start(named: "call deadlines") { sweepForever() }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The thread's name.
    ///   - body: What the thread runs; it ends when `body` returns.
    static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        var cut = ""
        for character in name {
            guard cut.utf8.count + character.utf8.count <= 15 else { break }
            cut.append(character)
        }
        let systemName = cut
        Thread {
            Thread.current.name = systemName
            body()
        }.start()
    }
}
