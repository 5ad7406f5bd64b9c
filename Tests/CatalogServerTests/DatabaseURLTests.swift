import CatalogServer
import Testing

/// `--database-url` and libpq's variables: what is parsed, what is refused, and that the
/// password never shows.
@Suite("Database URL")
struct DatabaseURLTests {
    @Test func parsesAFullURLAndHidesThePassword() throws {
        let url = try DatabaseURL(parsing: "postgresql://catalog:s%40cret@db.example:6543/catalog?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(url.host == "db.example" && url.port == 6543 && url.user == "catalog" && url.database == "catalog")
        #expect(url.sslMode == .verifyFull && url.sslRootCertificate == "/etc/ca.pem")
        #expect(url.description == "postgres://catalog:***@db.example:6543/catalog?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(!url.description.contains("s@cret") && !url.description.contains("s%40cret"))
    }

    @Test func takesLibpqDefaults() throws {
        let url = try DatabaseURL(parsing: "postgres://reader@[::1]")
        #expect(url.host == "::1" && url.port == 5432 && url.database == "reader" && url.sslMode == .prefer)
        #expect(url.description == "postgres://reader@[::1]:5432/reader?sslmode=prefer")
        let socket = try DatabaseURL(parsing: "postgres://app@/catalog?host=/var/run/postgresql")
        #expect(socket.host == "/var/run/postgresql" && socket.database == "catalog")
        #expect(socket.description == "postgres://app@/catalog?sslmode=prefer&host=/var/run/postgresql")
    }

    @Test(arguments: [
        ("mysql://u:p@h/db", "must start with postgres://"),
        ("postgres://h/db", "names no user"),
        ("postgres://u:hunter2@h/db?sslmode=sometimes", "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgres://u:hunter2@h/db?connect_timeout=3", "unknown parameter \"connect_timeout\""),
        ("postgres://u:hunter2@h/db?port=99999", "port must be 1 to 65535"),
        ("postgres://u:hunter2@h/db?port=five", "port must be a number"),
    ])
    func refusesWhatItCannotUseWithoutThePassword(url: String, problem: String) {
        #expect {
            _ = try DatabaseURL(parsing: url)
        } throws: { error in
            "\(error)".contains(problem) && !"\(error)".contains("hunter2")
        }
    }

    @Test func readsTheEnvironment() throws {
        #expect(try DatabaseURL.fromEnvironment([:]) == nil, "no variable: the file stores")
        let catalog = try DatabaseURL.fromEnvironment(["CATALOG_DATABASE_URL": "postgres://a:b@h1/d1", "PGHOST": "ignored"])
        #expect(catalog?.host == "h1" && catalog?.database == "d1")
        let libpq = try DatabaseURL.fromEnvironment([
            "PGHOST": "pg.internal", "PGPORT": "5433", "PGUSER": "svc", "PGPASSWORD": "pw-42", "PGDATABASE": "cat", "PGSSLMODE": "require",
        ])
        #expect(libpq?.description == "postgres://svc:***@pg.internal:5433/cat?sslmode=require")
        #expect {
            _ = try DatabaseURL.fromEnvironment(["CATALOG_DATABASE_URL": "postgres://u:hunter2@h/db?sslmode=nope"])
        } throws: { error in
            "\(error)".hasPrefix("CATALOG_DATABASE_URL: sslmode") && !"\(error)".contains("hunter2")
        }
    }
}
