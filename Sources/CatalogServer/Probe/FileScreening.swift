/// What screening one plugin file found before loading it.
public struct FileScreening: Sendable {
    public var file: String
    /// Why the file is refused, or `nil` when it may be loaded.
    public var failure: LoadFailure?
    /// What the probe child saw, when the file was probed.
    public var report: ProbeReport?
}
