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
    let metrics: ServerMetrics
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
        saveCache()
        logger.info("probed \(files.count) plugin file(s) in \(ContinuousClock.now - started) (\(cached) verdict(s) from the cache)")
        return verdicts
    }

    /// Probes one file, or answers from the cache, and remembers a verdict that may be kept.
    /// Returns the file, its verdict and whether the verdict came from the cache.
    func probe(file: String) async -> (String, ProbeVerdict, Bool) {
        let digest: String
        do {
            digest = try FileDigest.sha256(of: file)
        } catch {
            return (file, .quarantined(reason: "\(error)", cacheable: false), false)
        }
        let key = ProbeCache.key(fileDigest: digest, configurationDigest: configurationDigest)
        if let verdict = cache?.verdict(for: key) {
            metrics.probe(passed: verdict.passed, cached: true, duration: nil)
            return (file, verdict, true)
        }
        let started = ContinuousClock.now
        let (verdict, timedOut) = await runChild(file: file)
        metrics.probe(passed: verdict.passed, cached: false, duration: .now - started)
        if case .quarantined(_, cacheable: false) = verdict {} else { cache?.store(verdict, for: key) }
        if timedOut, case .quarantined(let reason, _) = verdict {
            cache?.recordTimeout(fileDigest: digest, reason: reason)
        } else {
            cache?.clearTimeout(fileDigest: digest)
        }
        return (file, verdict, false)
    }

    /// How often `file`'s probe timed out at the starts before this one, if it did.
    func previousTimeout(of file: String) -> ProbeCache.Timeout? {
        guard let cache, let digest = try? FileDigest.sha256(of: file) else { return nil }
        return cache.timeout(fileDigest: digest)
    }

    /// Writes the cache, logging a failure.
    func saveCache() {
        guard let cache else { return }
        do { try cache.save() } catch { logger.warning("cannot write probe cache \(cache.path): \(error)") }
    }

    /// Runs the probe child; the verdict, and whether the child ran out of time.
    private func runChild(file: String) async -> (ProbeVerdict, Bool) {
        let process = ChildProcess.make(executable: settings.executable, mode: "probe", file: file, configurationFiles: configurationFiles)
        let (stdout, stderr) = (Pipe(), Pipe())
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        let (terminations, terminated) = AsyncStream.makeStream(of: Void.self)
        process.terminationHandler = { _ in
            terminated.yield()
            terminated.finish()
        }
        do {
            try process.run()
        } catch {
            return (.quarantined(reason: "cannot start the probe \(settings.executable): \(error)", cacheable: false), false)
        }
        async let output = onDedicatedThread { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let errors = onDedicatedThread { stderr.fileHandleForReading.readDataToEndOfFile() }
        let pid = process.processIdentifier
        let race = await withDeadline(settings.timeout, onTimeout: { kill(pid, SIGKILL) }) {
            for await _ in terminations {}
        }
        let cancelled = Task.isCancelled
        let finished = if case .finished = race { true } else { false }
        if !finished { await onDedicatedThread { process.waitUntilExit() } }
        let tail = Self.tail(String(decoding: await errors, as: UTF8.self))
        let report = String(decoding: await output, as: UTF8.self)
            .split(separator: "\n").last.flatMap { try? JSONCoding.decode(ProbeReport.self, from: Data($0.utf8)) }
        if cancelled {
            return (.quarantined(reason: "the probe was cancelled: the server is shutting down", cacheable: false), false)
        }
        if !finished {
            return (.quarantined(reason: "probe did not finish within \(settings.timeout); killed" + tail, cacheable: false), true)
        }
        let verdict: ProbeVerdict = switch (process.terminationReason, process.terminationStatus, report) {
        case (.uncaughtSignal, let signal, _):
            .quarantined(reason: "probe died of signal \(signal) (\(String(cString: strsignal(signal))))" + tail, cacheable: signal != SIGKILL)
        case (.exit, 0, let report?):
            .passed(report)
        case (.exit, 0, nil):
            .quarantined(reason: "probe exited without reporting (the plugin ended the process)" + tail, cacheable: true)
        case (_, let status, _):
            .quarantined(reason: "probe exited with status \(status)" + tail, cacheable: true)
        }
        return (verdict, false)
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
