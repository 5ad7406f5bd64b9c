import Crypto
import Foundation

/// SHA-256 digests of plugin files.
enum FileDigest {
    /// The lower-case hex SHA-256 of the file at `path`, read in chunks.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DigestError(path: path)
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// The lower-case hex SHA-256 of `data`.
    static func sha256(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    struct DigestError: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot read \(path)" }
    }
}
