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
            Task {
                let outcome: PluginCallOutcome
                switch frame.kind {
                case .request:
                    guard let request = frame.request else { return }
                    outcome = await plugin.calls.handle(request.pluginRequest, deadline: plugin.deadlines.request, on: plugin.workers)
                case .invoke:
                    outcome = await plugin.invoke(
                        frame.operation ?? "", input: Array(frame.input ?? Data("{}".utf8)), deadline: plugin.deadlines.operation)
                default:
                    return
                }
                try? channel.send(WorkerFrame(kind: .response, id: id, response: WireResponse(Self.response(for: outcome))))
            }
        }
        await host.stopAll()
    }

    private static func response(for outcome: PluginCallOutcome) -> PluginResponse {
        switch outcome {
        case .responded(let response): response
        case .timedOut: .error(504, "the plugin did not answer within its deadline")
        case .completed: .error(502, "the plugin answered with complete() instead of respond()")
        }
    }
}
