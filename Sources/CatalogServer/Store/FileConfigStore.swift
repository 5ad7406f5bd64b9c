import CatalogJSON
import Foundation

/// The managed configuration layer as a file, `sources.yaml` in the state directory, with its
/// history in `revisions/`.
///
/// Every write goes to a temporary file that is flushed and renamed over the old one, so a
/// crash leaves the previous version or the new one. Each version is also kept as
/// `revisions/{sequence}-{version}.yaml`; the oldest beyond ``historyLimit`` are deleted. An
/// edit made to the file by hand is a version like any other: it is recorded before the next
/// change, and a change based on the version before it is refused as stale.
///
/// One server process owns a state directory; two servers sharing one are not coordinated.
public final class FileConfigStore: ConfigStore {
    public let path: String
    /// How many versions `revisions/` keeps.
    public let historyLimit: Int
    /// Where earlier versions are kept.
    let revisionsDirectory: String
    private let writer = NSLock()

    static let header = "# Managed by catalog-server's management API and merged after the --sources files.\n# Edit it by hand only while no change is being made through the API.\n"

    /// Opens the store in `directory`, creating the directory and an empty document when missing.
    public init(directory: String, historyLimit: Int = 50) throws {
        self.path = (directory as NSString).appendingPathComponent("sources.yaml")
        self.revisionsDirectory = (directory as NSString).appendingPathComponent("revisions")
        self.historyLimit = historyLimit
        do {
            try FileManager.default.createDirectory(atPath: revisionsDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.corrupt("cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        if !FileManager.default.fileExists(atPath: path) {
            try write(["apiVersion": "catalog/v1alpha1", "kind": "CatalogSources", "catalogs": [:]])
        }
    }

    public func current() async throws -> ConfigRevision {
        try currentFile()
    }

    private func currentFile() throws -> ConfigRevision {
        try Self.revision(at: path)
    }

    public func update(expectedVersion: String?, _ change: (inout JSONValue) throws -> Void) async throws -> ConfigRevision {
        try writer.withLock { try updateFile(expectedVersion: expectedVersion, change) }
    }

    private func updateFile(expectedVersion: String?, _ change: (inout JSONValue) throws -> Void) throws -> ConfigRevision {
        let current = try currentFile()
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError.staleVersion(expected: expectedVersion, current: current.version)
        }
        var document = current.document
        try change(&document)
        guard document != current.document else { return current }
        let existing = try revisionFiles()
        if existing.last.map({ Self.version(inFileName: $0) }) != current.version {
            try record(current: current, after: existing)
        }
        try write(document)
        let updated = try currentFile()
        try record(current: updated, after: try revisionFiles())
        return updated
    }

    public func revisions() async throws -> [ConfigRevision] {
        try revisionsOnFile()
    }

    /// Stored versions, newest first.
    func revisionsOnFile() throws -> [ConfigRevision] {
        try revisionFiles().reversed().map { try Self.revision(at: (revisionsDirectory as NSString).appendingPathComponent($0)) }
    }

    // MARK: Files

    private func write(_ document: JSONValue) throws {
        try AtomicFile.write(Data((Self.header + YAMLDocument.serialize(document)).utf8), to: path)
    }

    /// Copies the current file into the history and deletes the oldest entries beyond the limit.
    private func record(current: ConfigRevision, after existing: [String]) throws {
        let sequence = (existing.last.flatMap { Int($0.prefix { $0 != "-" }) } ?? 0) + 1
        let name = String(format: "%08d-%@.yaml", sequence, current.version)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try AtomicFile.write(data, to: (revisionsDirectory as NSString).appendingPathComponent(name))
        for stale in (existing + [name]).dropLast(historyLimit) {
            try? FileManager.default.removeItem(atPath: (revisionsDirectory as NSString).appendingPathComponent(stale))
        }
    }

    /// History file names, oldest first.
    private func revisionFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: revisionsDirectory)
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }
            .sorted()
    }

    private static func version(inFileName name: String) -> String {
        String(name.drop { $0 != "-" }.dropFirst().prefix { $0 != "." })
    }

    private static func revision(at file: String) throws -> ConfigRevision {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw StoreError.corrupt("cannot read \(file): \(error.localizedDescription)")
        }
        let document = try YAMLDocument.parse(String(decoding: data, as: UTF8.self), path: file)
        let attributes = try? FileManager.default.attributesOfItem(atPath: file)
        return ConfigRevision(
            version: ConfigRevision.version(of: data),
            document: document == .null ? .object([:]) : document,
            createdAt: attributes?[.modificationDate] as? Date ?? Date(), text: String(decoding: data, as: UTF8.self))
    }
}
