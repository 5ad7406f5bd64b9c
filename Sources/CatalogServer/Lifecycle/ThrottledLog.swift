import Logging
import Synchronization

/// Logs what a client or a plugin can make happen at will — a limit hit, an answer for an
/// unknown call, a forged frame: the first occurrence of a kind at once, later ones of the same
/// kind as a count at most once per ``interval``, so an attack does not flood the log.
final class ThrottledLog: Sendable {
    /// How often each kind is logged, at most.
    static let interval: Duration = .seconds(10)

    private struct Entry {
        var loggedAt: ContinuousClock.Instant
        var unlogged = 0
    }

    private let logger: Logger
    private let entries = Mutex<[String: Entry]>([:])

    init(logger: Logger) {
        self.logger = logger
    }

    /// Notes one occurrence of `kind`, described by `message`, logged at `level`.
    func note(_ kind: String, level: Logger.Level = .notice, _ message: @autoclosure () -> String) {
        let now = ContinuousClock.now
        let logNow: (Bool, Int) = entries.withLock { entries in
            guard var entry = entries[kind] else {
                entries[kind] = Entry(loggedAt: now)
                return (true, 0)
            }
            entry.unlogged += 1
            if now - entry.loggedAt >= Self.interval {
                let count = entry.unlogged
                entries[kind] = Entry(loggedAt: now)
                return (true, count)
            }
            entries[kind] = entry
            return (false, 0)
        }
        guard logNow.0 else { return }
        let earlier = logNow.1 > 0 ? " (and \(logNow.1) more like it since the last such line)" : ""
        logger.log(level: level, "\(message())\(earlier)")
    }
}
