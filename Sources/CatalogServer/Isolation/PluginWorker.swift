import Foundation
import Logging

/// The worker side of process isolation: loads one plugin file into this (child) process,
/// reports its plugins, then serves the calls the server forwards over the socket on file
/// descriptor 0 until the server says stop or goes away.
public enum PluginWorker {
    public static func run(file: String, configuration: SourcesConfiguration, logger: Logger) async throws {
        let host = await PluginHost.loading(file: file, configuration: configuration, logger: logger)
        let channel = FrameChannel(descriptor: 0)
        let plugins = host.registry.all.map { plugin in
            let state = plugin.currentState
            return WorkerReady.Plugin(
                identity: plugin.identity, routes: state.routes, serving: state.serving, lastError: state.lastError,
                capabilitiesDocument: state.capabilitiesDocument)
        }
        try channel.send(WorkerFrame(kind: .ready, ready: WorkerReady(plugins: plugins, failures: host.failures)))

        let frames = AsyncStream<WorkerFrame> { continuation in
            Thread.detachNewThread {
                while let frame = try? channel.receive() { continuation.yield(frame) }
                continuation.finish()
            }
        }
        for await frame in frames {
            guard frame.kind != .stop else { break }
            guard let id = frame.id, let plugin = frame.plugin.flatMap(host.registry.plugin(named:)) else { continue }
            Task { [requestID = frame.requestID] in
                await PendingCalls.$requestID.withValue(requestID) { await answer(frame, id: id, plugin: plugin, channel: channel) }
            }
        }
        await host.stopAll()
    }

    /// Makes the call `frame` asks for and sends the plugin's answer back.
    private static func answer(_ frame: WorkerFrame, id: UInt64, plugin: HostedPlugin, channel: FrameChannel) async {
        let outcome: PluginCallOutcome
        let call: String
        let deadline: Duration
        // The server's deadline for the call, when it sent one: the worker waits no longer.
        let given = frame.deadlineMilliseconds.map { Duration.milliseconds(max(1, $0)) }
        switch frame.kind {
        case .request:
            guard let request = frame.request?.forwardedRequest else { return }
            (call, deadline) = ("\(request.method) \(request.path)", given ?? plugin.deadlines.request)
            outcome = await plugin.calls.handle(request, deadline: deadline, on: plugin.threads)
        case .invoke:
            (call, deadline) = (frame.operation ?? "", given ?? plugin.deadlines.operation)
            outcome = await plugin.invoke(call, input: Array(frame.input ?? Data("{}".utf8)), deadline: deadline)
        default:
            return
        }
        let response: PluginReply
        switch outcome.response(plugin: plugin.name, call: call, deadline: deadline) {
        case .success(let answer): response = answer
        case .failure(let error): response = .error(Int(error.status.code), error.message)
        }
        try? channel.send(WorkerFrame(kind: .response, id: id, response: WireResponse(response)))
    }
}
