/// What the host checks before it loads a plugin file.
public struct TrustSettings: Sendable {
    /// Digests plugin files must match; `nil` when there is no pins file.
    public var pins: PluginPins?
    public var pinMode: PluginPins.Mode
    /// Probe files in a child process first; `nil` loads them directly.
    public var probe: ProbeSettings?

    public init(pins: PluginPins? = nil, pinMode: PluginPins.Mode = .strict, probe: ProbeSettings? = nil) {
        self.pins = pins
        self.pinMode = pinMode
        self.probe = probe
    }
}
