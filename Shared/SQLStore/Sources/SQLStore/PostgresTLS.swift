import Foundation

/// How a PostgreSQL connection uses TLS: libpq's `sslmode`, `sslrootcert`, `sslcert`,
/// `sslkey` and `sslpassword`, with libpq's meanings, read from `DATABASE_URL`'s query
/// (`postgres://u@db.example.com/orders?sslmode=verify-full&sslrootcert=/etc/ca.pem`).
///
/// - `disable`: plaintext.
/// - `prefer` (the default, as in libpq): TLS when the server offers it, plaintext when not;
///   the certificate is not checked.
/// - `require`: TLS or nothing; the certificate is not checked, unless a root certificate is
///   given (or `~/.postgresql/root.crt` exists), when it is checked as under `verify-ca`.
/// - `verify-ca`: TLS, and the server's certificate chains to the root certificate.
/// - `verify-full`: as `verify-ca`, and the certificate names the host of the URL.
///
/// `sslrootcert=system` trusts the system's roots and implies `verify-full` (libpq 16).
/// A client certificate (`sslcert` and `sslkey`, default `~/.postgresql/postgresql.crt` and
/// `.key` when they exist) is offered whenever TLS is used.
public struct PostgresTLS: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// What is checked of the server's certificate.
    public enum Verification: Sendable, Equatable {
        case none
        /// The chain, to these roots (`nil`: the system's).
        case chain(rootCertificateFile: String?)
        /// The chain and the host name (or address) of the URL.
        case chainAndHost(rootCertificateFile: String?)
    }

    public var mode: Mode
    public var verification: Verification
    /// PEM files of the client's certificate and key, when it offers one.
    public var clientCertificateFile: String?
    public var clientKeyFile: String?
    /// The client key's passphrase (`sslpassword`); never logged.
    public var clientKeyPassword: String?

    /// The query parameters read here; any other is refused rather than ignored.
    static let parameters: Set<String> = ["sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword"]

    public static let plaintext = PostgresTLS(mode: .disable, verification: .none)

    public init(
        mode: Mode, verification: Verification, clientCertificateFile: String? = nil, clientKeyFile: String? = nil,
        clientKeyPassword: String? = nil
    ) {
        self.mode = mode
        self.verification = verification
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.clientKeyPassword = clientKeyPassword
    }

    /// The settings of a URL's query parameters (`home`: where libpq's default files are looked for).
    public init(
        parameters: [String: String], home: String = NSHomeDirectory(),
        fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) throws(DatabaseError) {
        for name in parameters.keys where !Self.parameters.contains(name) {
            throw .badURL("unknown parameter \(name); the ones read are \(Self.parameters.sorted().joined(separator: ", "))")
        }
        let defaults = (home as NSString).appendingPathComponent(".postgresql")
        let rootFile = parameters["sslrootcert"]
        let mode: Mode
        if let text = parameters["sslmode"] {
            guard let parsed = Mode(rawValue: text) else {
                throw .badURL("sslmode \(text) is not one of \(Mode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            mode = parsed
        } else {
            mode = rootFile == "system" ? .verifyFull : .prefer
        }
        if rootFile == "system", mode != .verifyFull {
            throw .badURL("sslrootcert=system checks the server's name too: it needs sslmode=verify-full, not \(mode.rawValue)")
        }
        let defaultRoot = (defaults as NSString).appendingPathComponent("root.crt")
        let root: String?? = switch rootFile {
        case "system": .some(nil)
        case let file?: .some(file)
        case nil: fileExists(defaultRoot) ? .some(defaultRoot) : nil
        }
        switch mode {
        case .disable, .prefer:
            verification = .none
        case .require:
            verification = root.map { .chain(rootCertificateFile: $0) } ?? .none
        case .verifyCA, .verifyFull:
            guard let root else {
                throw .badURL("""
                    sslmode=\(mode.rawValue) needs a root certificate: give sslrootcert=FILE (or =system for the \
                    system's roots), put it at \(defaultRoot), or choose a mode that does not check the certificate
                    """)
            }
            verification = mode == .verifyCA ? .chain(rootCertificateFile: root) : .chainAndHost(rootCertificateFile: root)
        }
        self.mode = mode
        let defaultCertificate = (defaults as NSString).appendingPathComponent("postgresql.crt")
        let defaultKey = (defaults as NSString).appendingPathComponent("postgresql.key")
        clientCertificateFile = parameters["sslcert"] ?? (fileExists(defaultCertificate) ? defaultCertificate : nil)
        clientKeyFile = parameters["sslkey"] ?? (clientCertificateFile == nil ? nil : defaultKey)
        if clientCertificateFile == nil, parameters["sslkey"] != nil {
            throw .badURL("sslkey without sslcert: the key is the certificate's")
        }
        clientKeyPassword = parameters["sslpassword"]
    }

    /// The settings as URL parameters, for logs: the defaults left out, the passphrase masked.
    public var summary: String {
        var parts: [String] = []
        if mode != .prefer { parts.append("sslmode=\(mode.rawValue)") }
        switch verification {
        case .chain(let file?), .chainAndHost(let file?): parts.append("sslrootcert=\(file)")
        case .chain(nil), .chainAndHost(nil): parts.append("sslrootcert=system")
        case .none: break
        }
        if let clientCertificateFile { parts.append("sslcert=\(clientCertificateFile)") }
        if let clientKeyFile { parts.append("sslkey=\(clientKeyFile)") }
        if clientKeyPassword != nil { parts.append("sslpassword=***") }
        return parts.joined(separator: "&")
    }
}
