import Foundation
import Synchronization

/// Catches a plugin that ends the server with `exit()`: while the server serves, an `exit`
/// call from anywhere but the server's own shutdown writes a line saying so to standard error
/// and ends the process with status 70 instead of the status the plugin chose, so a supervisor
/// sees a failure and restarts the server.
public enum ExitGuard {
    private static let armed = Atomic<Bool>(false)
    private static let installed = Atomic<Bool>(false)

    /// Status the process ends with when something calls `exit` while the guard is armed.
    public static let status: Int32 = 70

    /// Arms the guard; call once the server starts serving.
    public static func arm() {
        if installed.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged {
            atexit {
                guard ExitGuard.armed.load(ordering: .sequentiallyConsistent) else { return }
                let message = "catalog-server: exit() was called while the server was serving, not by its shutdown; "
                    + "a plugin ended the process. Exiting with status \(ExitGuard.status).\n"
                message.withCString { _ = write(2, $0, strlen($0)) }
                _exit(ExitGuard.status)
            }
        }
        armed.store(true, ordering: .sequentiallyConsistent)
    }

    /// Disarms the guard; call when the server shuts down on its own.
    public static func disarm() {
        armed.store(false, ordering: .sequentiallyConsistent)
    }
}
