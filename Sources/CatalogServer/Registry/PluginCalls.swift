/// How the host calls a plugin: directly through its function table, or through its worker.
protocol PluginCalls: Sendable {
    /// Hands one request to the plugin.
    ///
    /// - Parameters:
    ///   - request: The request, in the form the ABI hands over.
    ///   - deadline: How long the plugin has to answer.
    ///   - requestID: The id of the HTTP request, for the plugin's `log_call` lines.
    ///   - threads: The plugin's threads, which run its handler.
    ///   - answer: Receives how the call ended, once, on whichever thread ends it; it must not block.
    func handle(
        _ request: ForwardedRequest, deadline: Duration, requestID: String?, on threads: PluginThreads,
        answer: @escaping @Sendable (PluginCallOutcome) -> Void)
    func invoke(_ operation: String, input: [UInt8], deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome
    func healthy() -> Bool
}

extension PluginCalls {
    /// Hands one request to the plugin and waits for how the call ended. The call is tied to
    /// the request the calling task serves (``PendingCalls/requestID``).
    func handle(_ request: ForwardedRequest, deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome {
        let requestID = PendingCalls.requestID
        return await withUnsafeContinuation { continuation in
            handle(request, deadline: deadline, requestID: requestID, on: threads) { continuation.resume(returning: $0) }
        }
    }
}
