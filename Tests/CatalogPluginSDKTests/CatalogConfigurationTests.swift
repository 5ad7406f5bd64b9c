import CatalogJSON
import CatalogPluginSDK
import Foundation
import Testing

/// A plugin's section as the host hands it to `init` and `config.apply`.
@Suite("Catalog configuration")
struct CatalogConfigurationTests {
    @Test func aSectionCarriesThePluginsOwnSettings() throws {
        let section = #"{"sources":[],"labels":[],"namedQueries":{},"settings":{"cacheSize":100,"nested":{"on":true}}}"#
        let configuration = try JSONCoding.decode(CatalogConfiguration.self, from: Data(section.utf8))
        #expect(configuration.settings["cacheSize"] == 100)
        #expect(configuration.settings["nested"]?["on"] == true)
        let older = try JSONCoding.decode(CatalogConfiguration.self, from: Data(#"{"sources":[]}"#.utf8))
        #expect(older.settings.isEmpty, "a host that sends no settings gives none")
    }
}
