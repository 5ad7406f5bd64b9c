import Foundation
import Synchronization

/// What a probe child reports on its standard output: the plugins a file registered and the
/// ordinary failures it met (a refused ABI, a failing init, …). A probe that does not get to
/// write its report crashed, hung or exited abnormally.
public struct ProbeReport: Codable, Sendable, Equatable {
    public struct Plugin: Codable, Sendable, Equatable {
        public var name: String
        public var version: String
        public var abi: String
        public var sdkVersion: String?
        public var capabilities: [String]
        public var basePath: String
        public var healthy: Bool
    }

    public var plugins: [Plugin]
    public var failures: [LoadFailure]

    /// The report of `host` after it loaded one file.
    public init(host: PluginHost) {
        plugins = host.registry.all.map {
            Plugin(name: $0.name, version: $0.version, abi: $0.identity.abiVersion,
                   sdkVersion: $0.identity.sdkVersion, capabilities: $0.identity.capabilities, basePath: $0.basePath,
                   healthy: $0.currentState.serving && Self.askHealthy($0))
        }
        failures = host.failures
    }

    /// The plugin's `healthy`, asked here in the probe so that one that crashes is caught before
    /// the server loads the file; one that has not answered within ``PluginHealth/deadline``
    /// counts as unhealthy instead of holding the probe up.
    private static func askHealthy(_ plugin: HostedPlugin) -> Bool {
        let answer = Mutex<Bool?>(nil)
        let answered = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let healthy = plugin.calls.healthy()
            answer.withLock { $0 = healthy }
            answered.signal()
        }
        let seconds = Double(PluginHealth.deadline.components.seconds)
        guard answered.wait(timeout: .now() + seconds) == .success else { return false }
        return answer.withLock { $0 } ?? false
    }
}
