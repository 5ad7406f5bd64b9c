/// How a piece of work ended against its deadline.
enum DeadlineOutcome<Value: Sendable>: Sendable {
    /// The work ended in time with this value.
    case finished(Value)
    /// The deadline passed first, or the caller was cancelled.
    case timedOut
}

/// Runs `work` against `deadline`: the one timeout race of the host (worker start and stop,
/// probes; plugin calls race in ``PendingCalls``).
///
/// When the deadline passes first, `onTimeout` runs at once — it must make `work` end, e.g. by
/// killing the process `work` waits for — and the call returns when `work` has ended. When the
/// calling task is cancelled, the race ends as a timeout too, whichever side ended first.
///
/// ```swift
/// let exited = await withDeadline(.seconds(5), onTimeout: { kill(pid, SIGKILL) }) {
///     await onDedicatedThread { process.waitUntilExit() }
/// }
/// ```
///
/// - Parameters:
///   - deadline: How long `work` may take.
///   - onTimeout: Makes `work` end once the deadline has passed.
///   - work: The work; it must end after `onTimeout` ran.
func withDeadline<Value: Sendable>(
    _ deadline: Duration, onTimeout: @escaping @Sendable () -> Void, _ work: @escaping @Sendable () async -> Value
) async -> DeadlineOutcome<Value> {
    await withTaskGroup(of: DeadlineOutcome<Value>.self) { group in
        group.addTask { .finished(await work()) }
        group.addTask {
            try? await Task.sleep(for: deadline)
            return .timedOut
        }
        var first = await group.next() ?? .timedOut
        if Task.isCancelled { first = .timedOut }
        if case .timedOut = first { onTimeout() }
        group.cancelAll()
        return first
    }
}
