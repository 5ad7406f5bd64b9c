import CatalogJSON
import Foundation
import Logging

/// Probes plugin files in child processes — the server's own executable in probe mode,
/// started with `posix_spawn` (Foundation's `Process`), never a `fork()` of the threaded
/// server — so that a plugin that crashes or hangs while loading, registering or initialising
/// takes down only the child.
struct PluginProber: Sendable {
    let settings: ProbeSettings
    /// The configuration files the child initialises plugins with.
    let configurationFiles: [String]
    /// Digest of the merged configuration; part of every cache key.
    let configurationDigest: String
    let cache: ProbeCache?
    let logger: Logger

    /// Probes `files`, at most `settings.parallelism` at once.
    func probe(_ files: [String]) async -> [String: ProbeVerdict] {
        let started = ContinuousClock.now
        var verdicts: [String: ProbeVerdict] = [:]
        var cached = 0
        await withTaskGroup(of: (String, ProbeVerdict, Bool).self) { group in
            var pending = files[...]
            func startNext() {
                guard let file = pending.popFirst() else { return }
                group.addTask { await probe(file: file) }
            }
            for _ in 0..<settings.parallelism { startNext() }
            for await (file, verdict, fromCache) in group {
                verdicts[file] = verdict
                if fromCache { cached += 1 }
                startNext()
            }
        }
        if let cache {
            do { try cache.save() } catch { logger.warning("cannot write probe cache \(cache.path): \(error)") }
        }
        logger.info("probed \(files.count) plugin file(s) in \(ContinuousClock.now - started) (\(cached) verdict(s) from the cache)")
        return verdicts
    }

    private func probe(file: String) async -> (String, ProbeVerdict, Bool) {
        let digest: String
        do {
            digest = try FileDigest.sha256(of: file)
        } catch {
            return (file, .quarantined(reason: "\(error)", cacheable: false), false)
        }
        let key = ProbeCache.key(fileDigest: digest, configurationDigest: configurationDigest)
        if let verdict = cache?.verdict(for: key) { return (file, verdict, true) }
        let verdict = await runChild(file: file)
        if case .quarantined(_, cacheable: false) = verdict {} else { cache?.store(verdict, for: key) }
        return (file, verdict, false)
    }

    private func runChild(file: String) async -> ProbeVerdict {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.executable)
        process.arguments = ["plugins", "probe", file] + configurationFiles.flatMap { ["--sources", $0] }
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        // The Swift runtime's backtracer would bury a plugin's own fatal-error message (and
        // take seconds to symbolicate); the crash reason is what the operator needs.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { _, new in new }
        let (terminations, terminated) = AsyncStream.makeStream(of: Void.self)
        process.terminationHandler = { _ in
            terminated.yield()
            terminated.finish()
        }
        do {
            try process.run()
        } catch {
            return .quarantined(reason: "cannot start the probe \(settings.executable): \(error)", cacheable: false)
        }
        async let output = onDedicatedThread { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let errors = onDedicatedThread { stderr.fileHandleForReading.readDataToEndOfFile() }
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in terminations {}
                return true
            }
            group.addTask {
                try? await Task.sleep(for: settings.timeout)
                return false
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        if !finished {
            kill(process.processIdentifier, SIGKILL)
            await onDedicatedThread { process.waitUntilExit() }
        }
        let tail = Self.tail(String(decoding: await errors, as: UTF8.self))
        let report = String(decoding: await output, as: UTF8.self)
            .split(separator: "\n").last.flatMap { try? JSONCoding.decode(ProbeReport.self, from: Data($0.utf8)) }
        if !finished {
            return .quarantined(reason: "probe did not finish within \(settings.timeout); killed" + tail, cacheable: false)
        }
        switch (process.terminationReason, process.terminationStatus, report) {
        case (.uncaughtSignal, let signal, _):
            let name = String(cString: strsignal(signal))
            return .quarantined(reason: "probe died of signal \(signal) (\(name))" + tail, cacheable: signal != SIGKILL)
        case (.exit, 0, let report?):
            return .passed(report)
        case (.exit, 0, nil):
            return .quarantined(reason: "probe exited without reporting (the plugin ended the process)" + tail, cacheable: true)
        case (_, let status, _):
            return .quarantined(reason: "probe exited with status \(status)" + tail, cacheable: true)
        }
    }

    /// The last lines of the child's standard error, for the failure reason. A Swift runtime
    /// stack dump is left out: the message before it is what explains the crash.
    private static func tail(_ text: String) -> String {
        let message = text.range(of: "\nCurrent stack trace:").map { String(text[..<$0.lowerBound]) } ?? text
        let trimmed = message.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "" }
        let lines = trimmed.split(separator: "\n").suffix(8).joined(separator: "\n")
        return "; stderr: " + String(lines.suffix(1500))
    }
}
