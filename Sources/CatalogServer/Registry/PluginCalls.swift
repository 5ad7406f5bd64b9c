/// How the host calls a plugin: directly through its function table, or through its worker.
protocol PluginCalls: Sendable {
    func handle(_ request: ForwardedRequest, deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome
    func invoke(_ operation: String, input: [UInt8], deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome
    func healthy() -> Bool
}
