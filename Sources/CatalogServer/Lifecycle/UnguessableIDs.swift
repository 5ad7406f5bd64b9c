import Synchronization

/// 64-bit ids that cannot be predicted from the ids already seen, without a system call per id:
/// a keyed hash (SipHash, with a per-process seed) of a secret drawn once from the system's
/// random source and a counter. Call ids (``PendingCalls``) and request ids (``RequestID``) are
/// drawn from it.
final class UnguessableIDs: Sendable {
    private let secret: (UInt64, UInt64)
    private let counter = Atomic<UInt64>(0)

    init() {
        var system = SystemRandomNumberGenerator()
        secret = (system.next(), system.next())
    }

    /// The next id; 0 may come up like any other value.
    func next() -> UInt64 {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        var hasher = Hasher()
        hasher.combine(secret.0)
        hasher.combine(count)
        hasher.combine(secret.1)
        return UInt64(UInt(bitPattern: hasher.finalize()))
    }
}
