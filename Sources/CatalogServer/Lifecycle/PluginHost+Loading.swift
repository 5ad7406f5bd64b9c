import CCatalogPlugin
import CatalogJSON
import Foundation
import Logging

/// The load path: from a file in the plugin directory to a mounted, serving plugin.
///
/// Every file goes its own way, concurrently with the others, so no file waits for another's
/// probe, init or start:
///
/// 1. **vet** — permissions and pins (``vet(_:)``);
/// 2. **probe** — in a child process, when probing is on (``PluginProber``); a file whose probe
///    timed out at the previous start is not probed during start-up but in the background once
///    the server is ready (``reprobeInBackground(_:)``);
/// 3. **load** — `dlopen` and registration in this process (``PluginLoader``), or a worker
///    process for a plugin with `isolation: process` (``startWorker(for:)``);
/// 4. **init → routes → start → mount** (``bringUp(_:_:)``): the plugin serves from then on.
///
/// While a file is on its way, ``loading`` lists it with its step and since when; `/readyz`
/// and `/api/plugins` show it.
extension PluginHost {
    /// Probe timeouts in a row (one per start) after which a file is no longer probed in the
    /// background; clearing the probe cache resets the count.
    static let timeoutsBeforeGivingUp = 3

    /// Loads the plugin directory. Returns once every file has a verdict: serving, failed, or
    /// held back because its probe timed out at the previous start (probed again in the
    /// background afterwards).
    public func loadAll() async {
        defer { state.withLock { $0.initialLoadComplete = true } }
        let files: [String]
        do {
            files = try loader.pluginFiles()
        } catch {
            logger.error("\(error)")
            record(LoadFailure(file: loader.directory, stage: .open, reason: "\(error)"))
            return
        }
        noteSeen(files)
        state.withLock { $0.dataStamps = Self.dataStamps(of: $0.configuration) }
        if !files.isEmpty, let problem = FilePermissions.problem(with: loader.directory, kind: "plugin directory") {
            files.forEach { record(LoadFailure(file: $0, stage: .permissions, reason: problem)) }
            return
        }
        reprobeInBackground(await admit(files, holdingBackPreviousTimeouts: true))
    }

    /// Takes each of `files` through vet, probe, load and bring-up, all at once. Returns the
    /// files held back because their probe timed out before (only with `holdingBackPreviousTimeouts`).
    @discardableResult
    func admit(_ files: [String], holdingBackPreviousTimeouts: Bool = false) async -> [String] {
        for file in files { progress(file, .permissions) }
        let prober = trust.probe.map(prober)
        let slots = ProbeSlots(trust.probe?.parallelism ?? 1)
        let heldBack = await withTaskGroup(of: String?.self) { group in
            for file in files {
                group.addTask {
                    await self.admit(file, prober: prober, slots: slots, holdingBackPreviousTimeouts: holdingBackPreviousTimeouts)
                }
            }
            return await group.reduce(into: [String]()) { if let file = $1 { $0.append(file) } }
        }
        prober?.saveCache()
        return heldBack.sorted()
    }

    /// One file's way in. Returns the file when it was held back.
    private func admit(
        _ file: String, prober: PluginProber?, slots: ProbeSlots, holdingBackPreviousTimeouts: Bool
    ) async -> String? {
        defer { finishedLoading(file) }
        if let failure = vet(file) {
            record(failure)
            return nil
        }
        guard let prober else {
            await load(file: file)
            for plugin in registry.all where plugin.file == file && wantsProcess(plugin.name) {
                logger.warning("plugin \"\(plugin.name)\" asks for isolation: process, which needs probing; it runs in-process")
            }
            return nil
        }
        if holdingBackPreviousTimeouts, let timeout = prober.previousTimeout(of: file) {
            record(LoadFailure(file: file, stage: .probe, reason: Self.heldBackReason(timeout)))
            return file
        }
        progress(file, .probe)
        let (_, verdict, _) = await slots.run { await prober.probe(file: file) }
        await enter(file, verdict: verdict)
        return nil
    }

    /// Loads a probed file as its verdict says: quarantined, in a worker, or in this process.
    private func enter(_ file: String, verdict: ProbeVerdict) async {
        switch verdict {
        case .quarantined(let reason, _):
            record(LoadFailure(file: file, stage: .probe, reason: reason))
        case .passed(let report) where report.plugins.contains(where: { wantsProcess($0.name) }):
            progress(file, .`init`)
            await startWorker(for: file)
        case .passed:
            await load(file: file)
        }
    }

    /// A host for one plugin file, loaded into this process: what a probe child and a worker
    /// process run.
    public static func loading(file: String, configuration: SourcesConfiguration, logger: Logger) async -> PluginHost {
        let host = PluginHost(
            pluginsDirectory: (file as NSString).deletingLastPathComponent, configuration: configuration,
            deadlines: CallDeadlines(), logger: logger)
        await host.load(file: file)
        return host
    }

    /// Loads `file` into this process and brings up the plugins it registers, one after another.
    func load(file: String) async {
        progress(file, .open)
        let loaded = await loader.load(file: file)
        loaded.failures.forEach(record)
        var registered: [(HostedPlugin, PluginDescriptor)] = []
        for descriptor in loaded.descriptors {
            let plugin = HostedPlugin(
                descriptor: descriptor, file: file, settings: configuration.plugins[descriptor.name] ?? PluginHostSettings(),
                defaults: deadlines, metrics: metrics)
            if register(plugin) {
                logger.info("registered plugin \"\(plugin.name)\" \(plugin.version) from \(file) (ABI \(descriptor.abiVersion))")
                registered.append((plugin, descriptor))
            }
        }
        for (plugin, descriptor) in registered {
            await bringUp(plugin, descriptor)
        }
    }

    /// Probes the held-back files again, one after another, without holding anything up: a
    /// file that passes is loaded and served (as late-loaded); one that times out again stays
    /// quarantined, and after ``timeoutsBeforeGivingUp`` starts in a row is left alone.
    func reprobeInBackground(_ files: [String]) {
        guard let settings = trust.probe, !files.isEmpty else { return }
        let prober = prober(settings)
        let task = Task {
            for file in files where !Task.isCancelled {
                guard let timeout = prober.previousTimeout(of: file), timeout.count < Self.timeoutsBeforeGivingUp else {
                    continue
                }
                logger.notice("probing \(file) again in the background: its probe timed out at the previous start")
                progress(file, .probe)
                let (_, verdict, _) = await prober.probe(file: file)
                prober.saveCache()
                state.withLock { $0.failures.removeAll { $0.file == file && $0.stage == .probe } }
                if case .quarantined = verdict, let again = prober.previousTimeout(of: file) {
                    record(LoadFailure(file: file, stage: .probe, reason: Self.heldBackReason(again)))
                } else {
                    let before = Set(registry.all.map(\.name))
                    await enter(file, verdict: verdict)
                    for plugin in registry.all where !before.contains(plugin.name) { plugin.updateState { $0.lateLoaded = true } }
                }
                finishedLoading(file)
            }
        }
        state.withLock { $0.backgroundProbes = task }
    }

    private static func heldBackReason(_ timeout: ProbeCache.Timeout) -> String {
        if timeout.count >= timeoutsBeforeGivingUp {
            return "its probe timed out at \(timeout.count) starts in a row (\(timeout.reason)); it stays quarantined "
                + "until the probe cache is cleared (--clear-probe-cache)"
        }
        return "its probe timed out at the previous start (\(timeout.reason)); "
            + "it is probed again in the background once the server is ready"
    }

    // MARK: Progress

    /// Files on their way in, by file name.
    public var loading: [LoadingFile] {
        state.withLock { $0.loading.values.sorted { $0.file < $1.file } }
    }

    /// Notes that `file` has reached `stage`.
    func progress(_ file: String, _ stage: LoadStage) {
        state.withLock { state in
            if state.loading[file]?.stage != stage { state.loading[file] = LoadingFile(file: file, stage: stage) }
        }
    }

    /// Notes that `file` has a verdict.
    func finishedLoading(_ file: String) {
        _ = state.withLock { $0.loading.removeValue(forKey: file) }
    }
}

/// A plugin file on its way in: the step it is at and since when.
public struct LoadingFile: Sendable, Encodable {
    public var file: String
    /// The step it is at: `permissions`, `probe`, `open`, `init` or `start`.
    public var stage: LoadStage
    /// When it reached that step.
    public var since = ContinuousClock.now

    /// How long it has been at that step, in seconds.
    public var seconds: Double {
        let elapsed = ContinuousClock.now - since
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `{"file", "stage", "seconds"}`, seconds to a tenth: how `/readyz` and `/api/plugins` show it.
    public var json: JSONValue {
        ["file": .string(file), "stage": .string(stage.rawValue), "seconds": .number((seconds * 10).rounded() / 10)]
    }

    public func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}
