import Synchronization

/// The window of one server, in memory.
final class LocalRefreshWindow: RefreshWindow {
    /// The reference's window.
    static let window = Duration.seconds(30)

    private let lastRefresh = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Admits a refresh of `target` and remembers it, or says how long to wait.
    func admit(_ target: String) -> Duration? {
        let now = ContinuousClock.now
        return lastRefresh.withLock { last in
            if let previous = last[target], now - previous < Self.window {
                return Self.window - (now - previous)
            }
            last[target] = now
            return nil
        }
    }

    /// Forgets a refresh that did not happen (an unknown source), so it does not count.
    func forget(_ target: String) {
        _ = lastRefresh.withLock { $0.removeValue(forKey: target) }
    }
}
