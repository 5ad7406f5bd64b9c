import Crypto
import Foundation

/// The bearer tokens the server accepts, each with its role, read from a tokens file:
///
/// ```text
/// # TOKEN                              ROLE
/// 3f1c9a0e4b7d4f59a2c8e6b1d0f7a9c4     admin
/// 8e2b7c1d5a6f4e3b9c0d1a2b3c4d5e6f     read
/// ```
///
/// One `TOKEN ROLE` pair per line, separated by white space; `#` starts a comment. Tokens are
/// kept only as SHA-256 digests and compared in constant time; no token is ever logged.
public struct AccessTokens: Sendable {
    /// What a token allows.
    public enum Role: String, Sendable, Comparable {
        /// Reads, where reads are protected.
        case read
        /// Reads and management writes.
        case admin

        public static func < (lhs: Role, rhs: Role) -> Bool { lhs == .read && rhs == .admin }
    }

    /// Shortest token accepted, so that a guessable one is refused at start-up.
    public static let minimumLength = 16

    private let entries: [(digest: [UInt8], role: Role)]

    /// Reads a tokens file.
    ///
    /// - Parameter path: The file.
    /// - Throws: ``AccessTokensError`` naming the file and line (never the token) of the first mistake.
    public init(path: String) throws(AccessTokensError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AccessTokensError(path: path, line: nil, problem: "cannot read the file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses tokens-file text; `path` names it in errors.
    public init(text: String, path: String) throws(AccessTokensError) {
        var entries: [(digest: [UInt8], role: Role)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2 else {
                throw AccessTokensError(path: path, line: index + 1, problem: "expected TOKEN ROLE")
            }
            guard let role = Role(rawValue: String(fields[1])) else {
                throw AccessTokensError(path: path, line: index + 1, problem: "the role must be read or admin")
            }
            guard fields[0].count >= Self.minimumLength else {
                throw AccessTokensError(path: path, line: index + 1, problem: "the token is shorter than \(Self.minimumLength) characters")
            }
            entries.append((Array(SHA256.hash(data: Data(fields[0].utf8))), role))
        }
        guard !entries.isEmpty else { throw AccessTokensError(path: path, line: nil, problem: "the file names no token") }
        self.entries = entries
    }

    /// The role of `token`, or `nil` when it is not one of the tokens. Every entry is compared,
    /// each in constant time, so the time taken says nothing about which bytes matched.
    public func role(of token: String) -> Role? {
        let digest = Array(SHA256.hash(data: Data(token.utf8)))
        var found: Role?
        for entry in entries {
            var difference: UInt8 = 0
            for (left, right) in zip(entry.digest, digest) { difference |= left ^ right }
            if difference == 0 { found = max(found ?? entry.role, entry.role) }
        }
        return found
    }
}

/// A tokens file that cannot be used.
public struct AccessTokensError: Error, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var problem: String
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}
