import Foundation

/// Refuses plugin files and directories that someone other than the server's user (or root)
/// could have changed: loading a `.so` runs its code with the server's privileges.
enum FilePermissions {
    /// Why `path` must not be trusted, or `nil` when it may be.
    static func problem(with path: String, kind: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "cannot inspect \(kind) \(path): \(String(cString: strerror(errno)))"
        }
        let owner = info.st_uid
        let user = geteuid()
        if owner != user && owner != 0 {
            return "\(kind) \(path) is owned by uid \(owner), not by the server's user (uid \(user)) or root"
        }
        let mode = info.st_mode & 0o7777
        if mode & (S_IWGRP | S_IWOTH) != 0 {
            let who = mode & S_IWOTH != 0 ? "world" : "group"
            return "\(kind) \(path) is \(who)-writable (mode \(String(mode, radix: 8))); run chmod go-w on it"
        }
        return nil
    }
}
