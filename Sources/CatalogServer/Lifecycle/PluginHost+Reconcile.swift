import CCatalogPlugin
import CatalogJSON
import Foundation

extension PluginHost {
    /// Reloads the configuration files and applies what changed, without a restart: a plugin
    /// whose section changed — or one of whose data files (properties ending in `Path`) changed —
    /// gets its new section through `config.apply`; the others are left alone. A file that no
    /// longer loads keeps the last good configuration, and the reason shows in `/readyz`.
    /// New plugin files in the directory are then screened, loaded and mounted; changed or
    /// removed ones are reported, since a loaded image cannot be replaced before a restart.
    ///
    /// Configuration changes go through the configuration gate one at a time, in order. New
    /// files are taken in by the reconcile that first sees them, each on its own way (see
    /// ``admit(_:holdingBackPreviousTimeouts:)``): a slow new file holds up neither the
    /// configuration nor other files, nor a later reconcile. Before the initial load is
    /// complete, a reconcile does nothing.
    public func reconcile() async {
        guard initialLoadComplete else { return }
        let started = ContinuousClock.now
        await applyConfigurationChanges()
        await loadNewPluginFiles()
        metrics.reconcile(succeeded: configurationError == nil, duration: .now - started)
    }

    /// Why the last configuration reload failed, or `nil`.
    public var configurationError: String? { state.withLock { $0.configurationError } }

    /// Plugin files that changed or disappeared since they were loaded.
    public var pendingRestart: [String] { state.withLock { $0.pendingRestart } }

    /// Reloads the configuration now and applies what changed, as a reconcile does, after any
    /// change already under way; what the management API calls after it stored a change.
    ///
    /// - Throws: ``APIError`` when the files no longer load, so the change is stored but not in force.
    func applyStoredConfiguration() async throws {
        await applyConfigurationChanges()
        if let error = configurationError {
            throw APIError(
                status: .internalServerError,
                message: "the change is stored but not in force: the configuration does not load (\(error)); it takes effect once that is fixed")
        }
    }

    private func applyConfigurationChanges() async {
        await configurationGate.run { await reloadConfiguration() }
    }

    private func reloadConfiguration() async {
        let (current, previousStamps) = state.withLock { ($0.configuration, $0.dataStamps) }
        let fresh: SourcesConfiguration
        do {
            fresh = try SourcesConfiguration.load(paths: current.files)
        } catch {
            logger.error("configuration reload failed, keeping the last good configuration: \(error)")
            state.withLock { $0.configurationError = "\(error)" }
            return
        }
        for warning in fresh.warnings where !current.warnings.contains(warning) { logger.warning("\(warning)") }
        let stamps = Self.dataStamps(of: fresh)
        for plugin in registry.all where plugin.currentState.initialized {
            let key = plugin.configKey
            let section = fresh.section(for: key)
            guard section != current.section(for: key) || stamps[key] != previousStamps[key] else { continue }
            guard plugin.identity.offers(CATALOG_CAPABILITY_CONFIG) else {
                logger.warning("the configuration of plugin \"\(plugin.name)\" changed, but it cannot reconfigure while running; restart to apply")
                continue
            }
            let input = (try? JSONCoding.encode(section.json)).map(Array.init) ?? Array("{}".utf8)
            let outcome = await plugin.invoke(CATALOG_OPERATION_CONFIG_APPLY, input: input, deadline: plugin.deadlines.initialize)
            if case .responded(let response) = outcome, response.status == 200 {
                logger.info("plugin \"\(plugin.name)\" adopted its changed configuration")
            } else {
                logger.error("plugin \"\(plugin.name)\" did not adopt its changed configuration: \(outcome)")
            }
        }
        state.withLock {
            $0.configuration = fresh
            $0.dataStamps = stamps
            $0.configurationError = nil
        }
    }

    private func loadNewPluginFiles() async {
        guard let files = try? pluginFiles() else { return }
        let (seen, fresh) = noteSeen(files)
        var pending: [String] = []
        for (file, loadedStamp) in seen.sorted(by: { $0.key < $1.key }) {
            if !files.contains(file) {
                pending.append("\(file) was removed; its plugins keep running until the next restart")
            } else if Self.modificationDate(of: file) != loadedStamp {
                pending.append("\(file) changed; the new version loads at the next restart")
            }
        }
        state.withLock { $0.pendingRestart = pending }
        guard !fresh.isEmpty else { return }
        logger.notice("new plugin file(s): \(fresh.joined(separator: ", "))")
        let before = Set(registry.all.map(\.name))
        await admit(fresh)
        for plugin in registry.all where !before.contains(plugin.name) {
            plugin.updateState { $0.lateLoaded = true }
        }
    }

    /// Remembers the files of `files` not seen before, with their modification times. Returns
    /// what was seen before this call and the files that are new, decided in one step so that
    /// two reconciles never both take in one file.
    @discardableResult
    func noteSeen(_ files: [String]) -> (before: [String: Date], fresh: [String]) {
        let stamps = files.map { ($0, Self.modificationDate(of: $0)) }
        return state.withLock { state in
            let before = state.seenFiles
            for (file, stamp) in stamps where before[file] == nil { state.seenFiles[file] = stamp }
            return (before, files.filter { before[$0] == nil })
        }
    }

    /// Per configuration key, the modification times of the files its sources name.
    static func dataStamps(of configuration: SourcesConfiguration) -> [String: [String: Date]] {
        configuration.catalogs.mapValues { section in
            var stamps: [String: Date] = [:]
            for source in section.sources {
                for (name, value) in source["properties"]?.objectValue ?? [:] where name.hasSuffix("Path") {
                    if let path = value.stringValue { stamps[path] = modificationDate(of: path) }
                }
            }
            return stamps
        }
    }

    static func modificationDate(of path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
