import Foundation

/// The load step for plugins with `isolation: process`: a worker process loads them
/// (`Isolation/WorkerSupervisor`), and the host mounts what it reports.
extension PluginHost {
    /// Whether `plugin` is configured to run in a worker process.
    func wantsProcess(_ plugin: String) -> Bool {
        configuration.plugins[plugin]?.isolation == .process
    }

    /// Runs the plugins of `file` in a worker process and mounts them.
    func startWorker(for file: String) async {
        guard let probe = trust.probe else { return }
        let supervisor = WorkerSupervisor(
            file: file, executable: probe.executable, configurationFiles: configuration.files,
            startDeadline: deadlines.initialize + deadlines.start, metrics: metrics, logger: logger)
        let ready: WorkerReady
        do {
            ready = try await supervisor.start()
        } catch {
            return record(LoadFailure(file: file, stage: .`init`, reason: "\(error)"))
        }
        ready.failures.forEach(record)
        var plugins: [HostedPlugin] = []
        for report in ready.plugins {
            let plugin = HostedPlugin(
                identity: report.identity, calls: WorkerPluginCalls(supervisor: supervisor, plugin: report.identity.name),
                descriptor: nil, file: file, settings: configuration.plugins[report.identity.name] ?? PluginHostSettings(),
                defaults: deadlines, metrics: metrics)
            guard register(plugin) else { continue }
            // A report with routes refused is not believed: nothing of it is published.
            let revalidated = RouteTable.revalidated(report.routes)
            plugin.updateState {
                $0.initialized = true
                guard case .success(let routes) = revalidated else { return }
                $0.serving = report.serving
                $0.lastError = report.lastError
                $0.capabilitiesDocument = report.capabilitiesDocument
                $0.routes = routes
            }
            if let conflict = mounts.claim(plugin.basePath, plugin: plugin.name, file: plugin.file) {
                fail(plugin, .`init`, conflict, mountingBasePath: false)
                continue
            }
            let routes: [PluginRoute]
            switch revalidated {
            case .success(let valid): routes = valid
            case .failure(let error):
                fail(plugin, .`init`, error.reason)
                continue
            }
            mounts.mount(PluginMount(plugin: plugin, routes: routes, host: self))
            plugins.append(plugin)
            logger.info("plugin \"\(plugin.name)\" serving from a worker process under \(plugin.basePath)")
        }
        supervisor.attach(plugins)
        supervisors.withLock { $0.append(supervisor) }
    }
}
