import Foundation
import Synchronization

/// A plugin's answer to `healthy`, asked on a thread of its own and cached, so that a plugin
/// whose `healthy` blocks never holds up `/readyz`, `/api/plugins` or anything else.
///
/// A read returns the last answer at once and, when that answer is older than
/// ``refreshInterval``, asks again in the background. One question is in flight at a time;
/// when it has been pending longer than ``deadline`` the plugin counts as unhealthy with a
/// reason saying so, until it answers.
final class PluginHealth: Sendable {
    /// How old an answer may be before the next read asks again.
    static let refreshInterval: Duration = .seconds(1)
    /// How long `healthy` may take before the plugin counts as unhealthy.
    static let deadline: Duration = .seconds(2)

    private struct State {
        var healthy = true
        var answeredAt: ContinuousClock.Instant?
        var askedAt: ContinuousClock.Instant?
    }

    private let plugin: String
    private let ask: @Sendable () -> Bool
    private let state = Mutex(State())

    /// - Parameters:
    ///   - plugin: The plugin's name, for the reason.
    ///   - ask: Calls the plugin's `healthy`; may block.
    init(plugin: String, ask: @escaping @Sendable () -> Bool) {
        self.plugin = plugin
        self.ask = ask
    }

    /// The last verdict, and why the plugin is unhealthy when it is.
    func verdict() -> (healthy: Bool, reason: String?) {
        let now = ContinuousClock.now
        let (verdict, askNow) = state.withLock { state -> ((Bool, String?), Bool) in
            if let askedAt = state.askedAt {
                let pending = now - askedAt
                if pending > Self.deadline {
                    return ((false, "healthy() of plugin \"\(plugin)\" has not returned for \(pending.components.seconds)s"), false)
                }
                return ((state.healthy, nil), false)
            }
            let stale = state.answeredAt.map { now - $0 > Self.refreshInterval } ?? true
            if stale { state.askedAt = now }
            return ((state.healthy, state.healthy ? nil : "plugin \"\(plugin)\" reports itself unhealthy"), stale)
        }
        if askNow { startAsking() }
        return verdict
    }

    /// Asks `healthy` now and waits for the answer, at most ``deadline``: what a probe does, so
    /// that a `healthy` that crashes is caught before the server loads the file. One that has
    /// not answered in time counts as unhealthy.
    func answerNow() -> Bool {
        let answered = DispatchSemaphore(value: 0)
        state.withLock { $0.askedAt = .now }
        startAsking { answered.signal() }
        let seconds = Double(Self.deadline.components.seconds)
        guard answered.wait(timeout: .now() + seconds) == .success else { return false }
        return state.withLock { $0.healthy }
    }

    /// Calls `healthy` on a thread of its own and records the answer.
    private func startAsking(then done: @escaping @Sendable () -> Void = {}) {
        Thread.detachNewThread { [self] in
            let healthy = ask()
            state.withLock { state in
                state.healthy = healthy
                state.answeredAt = .now
                state.askedAt = nil
            }
            done()
        }
    }
}
