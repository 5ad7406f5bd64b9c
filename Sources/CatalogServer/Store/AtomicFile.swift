import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces files so that a reader, or the next start after a crash, finds either the old
/// content or the new one, never a mix.
enum AtomicFile {
    /// Writes `data` to a temporary file beside `path`, flushes it to disk, renames it over
    /// `path` and flushes the directory entry.
    static func write(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(
            ".\((path as NSString).lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError.io("cannot create \(temporary)", errno) }
        do {
            defer { close(descriptor) }
            try data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { throw StoreError.io("cannot write \(temporary)", errno) }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw StoreError.io("cannot flush \(temporary)", errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw StoreError.io("cannot rename \(temporary) to \(path)", code)
        }
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

extension AtomicFile {
    /// Deletes the temporary files a writer killed before its rename left in `directory`.
    static func removeLeftovers(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }
}

/// Why a store could not read or write its files, or refused a change.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// A system call failed.
    case io(String, Int32)
    /// The change was based on a version that is no longer current.
    case staleVersion(expected: String, current: String)
    /// The stored content cannot be read back.
    case corrupt(String)
    /// The database behind the store cannot be reached now; nothing was changed, or (when it
    /// failed while committing) the change may or may not have been stored.
    case unavailable(String)
    /// The database refused a statement or holds what this server cannot use (a newer schema,
    /// unreadable data): not a matter of reaching it.
    case database(String)

    public var description: String {
        switch self {
        case .io(let what, let code): "\(what): \(String(cString: strerror(code)))"
        case .staleVersion(let expected, let current):
            "the configuration changed underneath: the change is based on version \(expected), the current version is \(current); re-read and retry"
        case .corrupt(let problem): problem
        case .unavailable(let reason): "the database is unavailable: \(reason)"
        case .database(let problem): "database: \(problem)"
        }
    }
}
