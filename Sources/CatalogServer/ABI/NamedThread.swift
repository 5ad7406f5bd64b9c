import Foundation

extension Thread {
    /// Starts a thread that the system knows by `name` — what `top -H` and `ps -L` show.
    ///
    /// The thread names itself, through `/proc/thread-self/comm`: `Thread.name` set before
    /// `start` never reaches the system, and set from the new thread it races `start` (Foundation
    /// names the system's thread only once it knows it is the current one), so the thread could
    /// keep its creator's name. Linux keeps 15 bytes: the name is cut to the characters that fit.
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
        let systemName = Array(cut.utf8)
        Thread {
            let comm = open("/proc/thread-self/comm", O_WRONLY)
            if comm >= 0 {
                _ = systemName.withUnsafeBytes { write(comm, $0.baseAddress, $0.count) }
                close(comm)
            }
            body()
        }.start()
    }
}
