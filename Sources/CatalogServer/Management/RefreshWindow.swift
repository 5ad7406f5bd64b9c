/// Refuses a second refresh of the same target within ``LocalRefreshWindow/window``: refreshing
/// re-reads data files, and a client retrying in a loop must not keep a plugin busy.
protocol RefreshWindow: Sendable {
    /// Admits a refresh of `target` and remembers it, or says how long to wait.
    func admit(_ target: String) async -> Duration?
    /// Forgets a refresh that did not happen (an unknown source), so it does not count.
    func forget(_ target: String) async
}
