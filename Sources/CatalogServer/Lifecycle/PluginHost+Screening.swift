import CatalogJSON
import Foundation

/// Screening without loading: the vet and probe steps of the load path (`PluginHost+Loading.swift`),
/// also used by `catalog-server plugins verify`.
extension PluginHost {
    /// Vets `files` (permissions, pins) and probes those that pass, when probing is on,
    /// without loading anything into this process.
    public func screen(_ files: [String]) async -> [FileScreening] {
        var screenings = files.map { FileScreening(file: $0, failure: vet($0)) }
        let passed = screenings.filter { $0.failure == nil }.map(\.file)
        guard let probe = trust.probe, !passed.isEmpty else { return screenings }
        let verdicts = await prober(probe).probe(passed)
        for index in screenings.indices where screenings[index].failure == nil {
            switch verdicts[screenings[index].file] {
            case .passed(let report):
                screenings[index].report = report
            case .quarantined(let reason, _):
                screenings[index].failure = LoadFailure(file: screenings[index].file, stage: .probe, reason: reason)
            case nil:
                break
            }
        }
        return screenings
    }

    /// Why `file` fails the permission or pin checks, or `nil` when it passes.
    func vet(_ file: String) -> LoadFailure? {
        if let problem = FilePermissions.problem(with: file, kind: "plugin file") {
            return LoadFailure(file: file, stage: .permissions, reason: problem)
        }
        guard let pins = trust.pins else { return nil }
        let problem: String?
        do {
            problem = pins.problem(file: file, digest: try FileDigest.sha256(of: file))
        } catch {
            problem = "\(error)"
        }
        guard let problem else { return nil }
        switch trust.pinMode {
        case .strict:
            return LoadFailure(file: file, stage: .pin, reason: problem)
        case .permissive:
            logger.warning("loading \(file) although it is not vouched for (permissive pins): \(problem)")
            return nil
        }
    }

    func prober(_ settings: ProbeSettings) -> PluginProber {
        let digest = ((try? JSONCoding.encode(configuration.catalogs.mapValues(\.json))).map { FileDigest.sha256(of: $0) }) ?? "unknown"
        return PluginProber(
            settings: settings, configurationFiles: configuration.files, configurationDigest: digest,
            cache: settings.cachePath.map(ProbeCache.init), metrics: metrics, logger: logger)
    }
}
