/// A plugin-owned pointer carried to the thread that calls the plugin. The ABI makes the
/// plugin responsible for its context being usable from any host thread.
struct SendablePointer<Pointer>: @unchecked Sendable {
    let value: Pointer
    init(_ value: Pointer) { self.value = value }
}
