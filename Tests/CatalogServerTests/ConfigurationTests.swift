import CatalogJSON
import Foundation
import Testing

@testable import CatalogServer
@testable import CatalogTestSupport

@Suite("sources.yaml loading and merging")
struct ConfigurationTests {
    private func write(_ text: String, to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A plugin's own settings: passed as written, later files winning key by key; any other
    /// unknown key of a section is ignored with a warning naming the file and line.
    @Test func pluginSettingsPassThroughAndUnknownKeysAreNamed() async throws {
        let directory = try TestPaths.temporaryDirectory("config-settings")
        let base = try write(
            "catalogs:\n  models:\n    settings: {cacheSize: 100, mode: fast}\n    colour: blue\n", to: "base.yaml", in: directory)
        let overlay = try write("catalogs:\n  models:\n    settings: {mode: thorough}\n", to: "overlay.yaml", in: directory)
        let configuration = try SourcesConfiguration.load(paths: [base, overlay])
        #expect(configuration.section(for: "models").settings == ["cacheSize": 100, "mode": "thorough"])
        #expect(configuration.section(for: "models").json["settings"] == ["cacheSize": 100, "mode": "thorough"])
        #expect(configuration.warnings.count == 1)
        #expect(configuration.warnings.first?.contains("base.yaml:4: catalogs.models.colour is not a key of a catalog section") == true,
                "the file and line: \(configuration.warnings)")
        let bad = try write("catalogs:\n  models:\n    settings: [a]\n", to: "bad.yaml", in: directory)
        #expect(throws: YAMLDocumentError.self) { try SourcesConfiguration.load(paths: [bad]) }
    }

    @Test func mergesFilesByTheReferenceRules() async throws {
        let directory = try TestPaths.temporaryDirectory("config-merge")
        let base = try write(
            """
            apiVersion: catalog/v1alpha1
            kind: CatalogSources
            catalogs:
              models:
                sources:
                  - id: validated
                    name: Validated models
                    type: yaml
                    labels: [Validated]
                    properties:
                      yamlCatalogPath: data/validated.yaml
                      refresh: hourly
                  - id: community
                    name: Community
                    type: yaml
                labels: [base]
                namedQueries:
                  small: {size: {operator: "<", value: 10}}
            """, to: "base/sources.yaml", in: directory)
        let overlay = try write(
            """
            kind: OverlaySources
            catalogs:
              models:
                sources:
                  - id: validated
                    enabled: false
                    properties:
                      yamlCatalogPath: ../overlay-data/validated.yaml
                  - id: extra
                    name: Extra
                    type: yaml
                namedQueries:
                  large: {size: {operator: ">", value: 100}}
              mcp:
                sources:
                  - id: mcp-default
                    type: yaml
            """, to: "overlay/sources.yaml", in: directory)

        let configuration = try SourcesConfiguration.load(paths: [base, overlay])

        #expect(configuration.apiVersion == "catalog/v1alpha1")
        #expect(configuration.kind == "OverlaySources")
        #expect(configuration.files == [base, overlay])
        let models = configuration.section(for: "models")
        #expect(models.sources.map { $0["id"]?.stringValue } == ["validated", "community", "extra"])
        let validated = models.sources[0]
        #expect(validated["enabled"] == false)
        #expect(validated["name"] == "Validated models", "an overlay without name keeps the earlier name")
        #expect(validated["labels"] == ["Validated"])
        #expect(validated["origin"]?.stringValue == overlay)
        #expect(
            validated["properties"]?["yamlCatalogPath"]?.stringValue == directory.appendingPathComponent("overlay-data/validated.yaml").path,
            "a relative path resolves against the directory of the file that set it")
        #expect(validated["properties"]?["refresh"] == "hourly", "properties merge key by key")
        #expect(models.labels == ["base"])
        #expect(Set(models.namedQueries.keys) == ["small", "large"])
        #expect(configuration.section(for: "mcp").sources.count == 1)
        #expect(configuration.section(for: "agents").sources.isEmpty)
    }

    @Test func pathsResolveAgainstTheirOwnFile() async throws {
        let directory = try TestPaths.temporaryDirectory("config-paths")
        let file = try write(
            """
            catalogs:
              knowledge:
                sources:
                  - id: k
                    type: yaml
                    properties: {yamlCatalogPath: data/k.yaml, absolutePath: /srv/k.yaml, note: data/not-a-path}
            """, to: "conf/sources.yaml", in: directory)
        let properties = try SourcesConfiguration.load(paths: [file]).section(for: "knowledge").sources[0]["properties"]
        #expect(properties?["yamlCatalogPath"]?.stringValue == directory.appendingPathComponent("conf/data/k.yaml").path)
        #expect(properties?["absolutePath"] == "/srv/k.yaml")
        #expect(properties?["note"] == "data/not-a-path")
    }

    @Test func malformedYAMLNamesFileLineAndColumn() async throws {
        let directory = try TestPaths.temporaryDirectory("config-malformed")
        let file = try write("catalogs:\n  models:\n    sources: [\n      - id: x\n", to: "bad.yaml", in: directory)
        let error = try #require(throws: YAMLDocumentError.self) { try SourcesConfiguration.load(paths: [file]) }
        #expect(error.path == file)
        #expect(error.line != nil && error.column != nil)
        #expect("\(error)".hasPrefix("\(file):\(error.line!):\(error.column!): "))
    }

    @Test func unreadableFileIsNamed() async throws {
        let error = try #require(throws: YAMLDocumentError.self) {
            try SourcesConfiguration.load(paths: ["/nonexistent/sources.yaml"])
        }
        #expect(error.path == "/nonexistent/sources.yaml")
        #expect(error.problem.contains("cannot read file"))
    }

    @Test(arguments: [
        ("- just\n- a list\n", "the document must be a mapping"),
        ("catalogs: {models: [a]}\n", "catalogs.models must be a mapping"),
        ("catalogs: [a]\n", "catalogs[0] must be a mapping"),  // a list: upstream's legacy format
        ("catalogs:\n  models:\n    sources: {id: x}\n", "catalogs.models.sources must be a list"),
        ("catalogs:\n  models:\n    sources:\n      - name: no id\n", "catalogs.models.sources[0] needs a non-empty string id"),
        ("catalogs:\n  models:\n    sources:\n      - id: a\n      - id: a\n", "source id \"a\" appears twice"),
        ("catalogs:\n  models:\n    sources:\n      - id: a\n        properties: [x]\n", "properties must be a mapping"),
    ])
    func structuralErrorsAreExplained(yaml: String, expected: String) throws {
        let directory = try TestPaths.temporaryDirectory("config-structure")
        let file = try write(yaml, to: "sources.yaml", in: directory)
        let error = try #require(throws: YAMLDocumentError.self) { try SourcesConfiguration.load(paths: [file]) }
        #expect(error.path == file)
        #expect(error.problem.contains(expected), "\(error.problem)")
    }

    @Test func emptyFileIsAnEmptyConfiguration() async throws {
        let directory = try TestPaths.temporaryDirectory("config-empty")
        let file = try write("# nothing yet\n", to: "sources.yaml", in: directory)
        let configuration = try SourcesConfiguration.load(paths: [file])
        #expect(configuration.catalogs.isEmpty)
        #expect(configuration.files == [file])
    }

    @Test func yamlScalarsKeepTheirTypes() async throws {
        let value = try YAMLDocument.parse(
            "a: 1\nb: 2.5\nc: true\nd: null\ne: '1'\nf: \"true\"\ng: text\nh: [1, x]\n", path: "inline")
        #expect(value == ["a": 1, "b": .number(2.5), "c": true, "d": nil, "e": "1", "f": "true", "g": "text", "h": [1, "x"]])
    }
}
