/// The outcome of probing one plugin file in a child process.
public enum ProbeVerdict: Codable, Sendable, Equatable {
    /// The child loaded, registered and initialised it and reported back: safe to load here.
    case passed(ProbeReport)
    /// The child died by a signal, exited abnormally or ran out of time: do not load it.
    case quarantined(reason: String, cacheable: Bool)
}

extension ProbeVerdict {
    /// Whether the file passed its probe.
    var passed: Bool {
        if case .passed = self { return true }
        return false
    }
}
