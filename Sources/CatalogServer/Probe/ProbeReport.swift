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
        /// Where its capabilities document breaks the published schema; absent when it conforms.
        public var capabilitiesProblems: [String]?
    }

    public var plugins: [Plugin]
    public var failures: [LoadFailure]

    /// The report of `host` after it loaded one file.
    public init(host: PluginHost) {
        plugins = host.registry.all.map {
            Plugin(name: $0.name, version: $0.version, abi: $0.identity.abiVersion,
                   sdkVersion: $0.identity.sdkVersion, capabilities: $0.identity.capabilities, basePath: $0.basePath,
                   healthy: $0.currentState.serving && $0.health.answerNow(),
                   capabilitiesProblems: $0.currentState.capabilitiesProblems.isEmpty ? nil : $0.currentState.capabilitiesProblems)
        }
        failures = host.failures
    }
}
