import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing
@testable import CatalogTestSupport

/// The configuration store's promise: a crash in the middle of a write leaves the previous
/// version or the new one, never a half-written file.
@Suite("Configuration store under a killed writer")
struct StoreCrashTests {
    static let paddingLength = 400_000

    /// Runs the real server, keeps it writing large versions of the managed `sources.yaml`
    /// through the management API, kills it with SIGKILL the moment a write starts, and checks
    /// what is on disk; three times, each restart starting from what the killed one left.
    @Test func killingTheServerMidWriteLeavesAWholeFile() async throws {
        let setup = try await ManagementTests.Setup("store-kill")
        let managed = setup.state.appendingPathComponent("sources.yaml")
        let revisions = setup.state.appendingPathComponent("revisions")
        var writes = 0
        for round in 0..<3 {
            let server = try await ServerProcess.start([
                "--listen", "127.0.0.1:0", "--plugins-dir", setup.fixtures.directory.path, "--sources", setup.sources.path,
                "--state-dir", setup.state.path, "--no-probe", "--reconcile-interval", "0", "--log-level", "notice",
            ])
            defer { if server.process.isRunning { server.process.terminate() } }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: setup.state.path).filter { $0.hasSuffix(".tmp") }
            #expect(leftovers.isEmpty, "round \(round): a restart removes what a killed writer left: \(leftovers)")
            let completed = WriteCounter()
            let (address, template) = (server.address, setup.extraSource)
            var writers: [Task<Void, Never>] = []
            for writer in 0..<2 {
                writers.append(Task {
                    var letter = UInt8(ascii: "a") + UInt8(writer * 13)
                    while !completed.stopped {
                        letter = letter == UInt8(ascii: "z") ? UInt8(ascii: "a") : letter + 1
                        var source = template
                        if case .object(var fields) = source, case .object(var properties) = fields["properties"] {
                            properties["padding"] = .string(String(repeating: Character(UnicodeScalar(letter)), count: Self.paddingLength))
                            fields["properties"] = .object(properties)
                            source = .object(fields)
                        }
                        let answer = try? await HTTPResult.fetch(
                            URL(string: "http://\(address)/api/mcp_catalog/v1alpha1/management/apply-source")!,
                            method: "POST", body: try JSONCoding.encode(source))
                        if answer?.status == 200 { completed.increment() }
                    }
                })
            }
            while completed.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
            await Self.killAtNextWrite(of: managed, pid: server.process.processIdentifier)
            server.process.waitUntilExit()
            completed.stop()
            for writer in writers { await writer.value }
            writes += completed.count

            let files = [managed] + (try FileManager.default.contentsOfDirectory(at: revisions, includingPropertiesForKeys: nil))
                .filter { $0.pathExtension == "yaml" }
            for file in files {
                let document = try YAMLDocument.load(path: file.path)
                let sources = document["catalogs"]?["mcp"]?["sources"]?.arrayValue ?? []
                for padding in sources.compactMap({ $0["properties"]?["padding"]?.stringValue }) {
                    #expect(padding.count == Self.paddingLength && Set(padding).count == 1, "round \(round): \(file.lastPathComponent) is whole")
                }
            }
            #expect(try YAMLDocument.load(path: managed.path)["catalogs"]?["mcp"]?["sources"]?.arrayValue?.count == 1, "round \(round)")
        }
        #expect(writes >= 6, "the servers stored versions before they were killed")
    }
}

extension StoreCrashTests {
    /// Sends SIGKILL to `pid` as soon as a write to `file` shows: a temporary file appears
    /// beside it, or its size or modification time changes. Polls on a thread of its own, so
    /// the kill lands within microseconds of the write starting; gives up after 10 seconds.
    static func killAtNextWrite(of file: URL, pid: Int32) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                func stamp() -> [Int] {
                    var info = stat()
                    guard stat(file.path, &info) == 0 else { return [] }
                    return [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, Int(info.st_ino)]
                }
                let directory = file.deletingLastPathComponent().path
                let baseline = stamp()
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                    if stamp() != baseline || names.contains(where: { $0.hasSuffix(".tmp") }) { break }
                }
                kill(pid, SIGKILL)
                continuation.resume()
            }
        }
    }
}

/// Successful writes, counted from several tasks, and when to stop writing. (Writers are
/// stopped, not cancelled: a cancelled URLSession request may never return on Linux.)
private final class WriteCounter: Sendable {
    private let value = Mutex((count: 0, stopped: false))
    var count: Int { value.withLock { $0.count } }
    var stopped: Bool { value.withLock { $0.stopped } }
    func increment() { value.withLock { $0.count += 1 } }
    func stop() { value.withLock { $0.stopped = true } }
}
