import Foundation
import Logging
import SQLStore
import Testing

/// `DATABASE_URL`'s TLS parameters, with libpq's meanings: parsed without I/O here.
struct PostgresTLSSettingsTests {
    static func tls(_ query: String, home: String = "/nonexistent", files: Set<String> = []) throws(DatabaseError) -> PostgresTLS {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return try PostgresTLS(parameters: parameters, home: home, fileExists: { files.contains($0) })
    }

    @Test func theDefaultIsPreferWithoutChecksAsInLibpq() throws {
        #expect(try Self.tls("") == PostgresTLS(mode: .prefer, verification: .none))
        guard case .postgres(let url) = try DatabaseURL("postgres://u@db:5432/orders") else { Issue.record("not postgres"); return }
        #expect(url.tls == PostgresTLS(mode: .prefer, verification: .none))
    }

    @Test func eachModeChecksWhatLibpqChecks() throws {
        #expect(try Self.tls("sslmode=disable").verification == .none)
        #expect(try Self.tls("sslmode=require").verification == .none)
        #expect(try Self.tls("sslmode=require&sslrootcert=/ca.pem").verification == .chain(rootCertificateFile: "/ca.pem"))
        #expect(try Self.tls("sslmode=verify-ca&sslrootcert=/ca.pem").verification == .chain(rootCertificateFile: "/ca.pem"))
        #expect(try Self.tls("sslmode=verify-full&sslrootcert=/ca.pem").verification == .chainAndHost(rootCertificateFile: "/ca.pem"))
        #expect(try Self.tls("sslrootcert=system") == PostgresTLS(mode: .verifyFull, verification: .chainAndHost(rootCertificateFile: nil)))
    }

    @Test func libpqsDefaultFilesAreUsedWhenTheyExist() throws {
        let files: Set = ["/home/u/.postgresql/root.crt", "/home/u/.postgresql/postgresql.crt"]
        let require = try Self.tls("sslmode=require", home: "/home/u", files: files)
        #expect(require.verification == .chain(rootCertificateFile: "/home/u/.postgresql/root.crt"))
        #expect(require.clientCertificateFile == "/home/u/.postgresql/postgresql.crt")
        #expect(require.clientKeyFile == "/home/u/.postgresql/postgresql.key")
        let verifyFull = try Self.tls("sslmode=verify-full", home: "/home/u", files: files)
        #expect(verifyFull.verification == .chainAndHost(rootCertificateFile: "/home/u/.postgresql/root.crt"))
    }

    @Test(arguments: [
        ("sslmode=verify-full", "needs a root certificate"),
        ("sslmode=verify-ca", "needs a root certificate"),
        ("sslmode=allowed", "sslmode allowed is not one of"),
        ("sslmode=require&sslrootcert=system", "needs sslmode=verify-full"),
        ("sslkey=/k.pem", "sslkey without sslcert"),
        ("ssl=true", "unknown parameter ssl"),
    ])
    func aSettingThatCannotWorkIsRefusedSayingWhy(query: String, reason: String) {
        #expect {
            try Self.tls(query)
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func theURLAsLoggedHidesThePasswordAndTheKeysPassphrase() throws {
        let url = try DatabaseURL(
            "postgres://orders:s3cret@db:5432/orders?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/c.key&sslpassword=p4ss")
        let logged = "\(url)"
        #expect(!logged.contains("s3cret") && !logged.contains("p4ss"))
        #expect(logged == "postgres://orders:***@db:5432/orders?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/c.key&sslpassword=***")
        #expect {
            try DatabaseURL("postgres://orders:s3cret@db/orders?sslpassword=p4ss&bad=1")
        } throws: { error in
            "\(error)".contains("unknown parameter bad") && !"\(error)".contains("s3cret") && !"\(error)".contains("p4ss")
        }
    }
}

/// The same against a real PostgreSQL offering TLS (`scripts/test` starts one with
/// `start_test_postgres --tls`): what each mode connects to, and what it refuses at start.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ORDERS_TEST_PG_CERTS"] != nil))
struct PostgresTLSConnectionTests {
    static let certs = ProcessInfo.processInfo.environment["ORDERS_TEST_PG_CERTS"] ?? ""
    /// host:port of the test server.
    static var address: (host: String, port: Int) {
        let url = URLComponents(string: ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] ?? "")
        return (url?.host ?? "127.0.0.1", url?.port ?? 5432)
    }

    static func url(host: String? = nil, user: String = "postgres", _ query: String) -> String {
        "postgres://\(user)@\(host ?? address.host):\(address.port)/postgres?\(query)"
    }

    /// Whether the session is encrypted, as the server sees it.
    static func usesTLS(_ text: String) async throws -> Bool {
        let database = try await DatabaseURL(text).open(logger: Logger(label: "test"))
        let rows = try await database.readStatement("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()", [])
        await database.close()
        return try rows.first?.string(0) == "true"
    }

    @Test func disableIsPlaintextAndTheOtherModesEncrypt() async throws {
        #expect(try await Self.usesTLS(Self.url("sslmode=disable")) == false)
        #expect(try await Self.usesTLS(Self.url("")) == true)
        #expect(try await Self.usesTLS(Self.url("sslmode=require")) == true)
        #expect(try await Self.usesTLS(Self.url("sslmode=verify-ca&sslrootcert=\(Self.certs)/ca.pem")) == true)
        #expect(try await Self.usesTLS(Self.url(host: "localhost", "sslmode=verify-full&sslrootcert=\(Self.certs)/ca.pem")) == true)
    }

    /// The server's certificate names DNS:localhost only: verify-ca accepts it at 127.0.0.1,
    /// verify-full does not, and neither accepts it against an unrelated CA.
    @Test(arguments: [
        ("sslmode=verify-full&sslrootcert=ca.pem", "127.0.0.1"),
        ("sslmode=verify-ca&sslrootcert=other-ca.pem", "127.0.0.1"),
        ("sslmode=verify-full&sslrootcert=other-ca.pem", "localhost"),
        ("sslmode=require&sslrootcert=other-ca.pem", "localhost"),
    ])
    func aCertificateThatDoesNotVerifyStopsTheOpenWithATypedError(query: String, host: String) async throws {
        let text = Self.url(host: host, query.replacingOccurrences(of: "sslrootcert=", with: "sslrootcert=\(Self.certs)/"))
        await #expect {
            _ = try await DatabaseURL(text).open(logger: Logger(label: "test"))
        } throws: { error in
            guard case DatabaseError.tls(let reason) = error else { return false }
            return reason.contains("handshake failed")
        }
    }

    @Test func aClientCertificateLogsInTheRoleItNames() async throws {
        let text = Self.url(
            host: "localhost", user: "test-client",
            "sslmode=verify-full&sslrootcert=\(Self.certs)/ca.pem&sslcert=\(Self.certs)/client.pem&sslkey=\(Self.certs)/client-encrypted.key"
                + "&sslpassword=" + (try String(contentsOfFile: "\(Self.certs)/client-key-password.txt", encoding: .utf8))
                .trimmingCharacters(in: .whitespacesAndNewlines))
        let database = try await DatabaseURL(text).open(logger: Logger(label: "test"))
        let user = try await database.readStatement("SELECT current_user::text", []).first?.string(0)
        await database.close()
        #expect(user == "test-client")
    }

    /// The role "test-client" may log in over TLS only (`hostssl` in pg_hba.conf): without TLS,
    /// the server's refusal stops the open, in the server's words.
    @Test func withoutTLSAServerThatRequiresItRefusesAndTheOpenSaysSo() async throws {
        await #expect {
            _ = try await DatabaseURL(Self.url(user: "test-client", "sslmode=disable")).open(logger: Logger(label: "test"))
        } throws: { error in
            guard case DatabaseError.refused(let reason) = error else { return false }
            return reason.contains("pg_hba.conf") && reason.contains("no encryption")
        }
        // And a database that does not exist.
        await #expect {
            _ = try await DatabaseURL(Self.url("sslmode=disable").replacingOccurrences(of: "/postgres?", with: "/no_such_db?"))
                .open(logger: Logger(label: "test"))
        } throws: { error in
            guard case DatabaseError.refused(let reason) = error else { return false }
            return reason.contains("no_such_db")
        }
    }

    @Test func aMissingFileIsRefusedNamingTheParameter() async throws {
        await #expect {
            _ = try await DatabaseURL(Self.url("sslmode=verify-ca&sslrootcert=/nonexistent/ca.pem")).open(logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("sslrootcert=/nonexistent/ca.pem cannot be used")
        }
    }
}
