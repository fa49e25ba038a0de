import NIOSSL
import PostgresNIO

extension PostgresTLS {
    /// PostgresNIO's setting for the pool: `prefer` falls back to plaintext when the server
    /// has no TLS; `require` and the `verify-*` modes fail instead.
    func clientTLS() throws(DatabaseError) -> PostgresClient.Configuration.TLS {
        guard let configuration = try tlsConfiguration() else { return .disable }
        return mode == .prefer ? .prefer(configuration) : .require(configuration)
    }

    /// The same for one connection (`PostgresDatabase.open`'s first).
    func connectionTLS() throws(DatabaseError) -> PostgresConnection.Configuration.TLS {
        guard let configuration = try tlsConfiguration() else { return .disable }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .badURL("TLS settings \(summary) cannot be used: \(error) (sslcert and sslkey must be a pair)")
        }
        return mode == .prefer ? .prefer(context) : .require(context)
    }

    /// NIOSSL's configuration, nil under `disable`. The files are read here, so a missing or
    /// unreadable one is refused at start, naming the parameter.
    private func tlsConfiguration() throws(DatabaseError) -> TLSConfiguration? {
        guard mode != .disable else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch verification {
        case .none:
            configuration.certificateVerification = .none
        case .chain(let rootFile):
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = try Self.roots(rootFile)
        case .chainAndHost(let rootFile):
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = try Self.roots(rootFile)
        }
        if let clientCertificateFile {
            configuration.certificateChain = try Self.load("sslcert", clientCertificateFile) {
                try NIOSSLCertificate.fromPEMFile(clientCertificateFile).map { .certificate($0) }
            }
            if let clientKeyFile {
                let password = clientKeyPassword
                let key = try Self.load("sslkey", clientKeyFile) { () throws -> NIOSSLPrivateKey in
                    guard let password else { return try NIOSSLPrivateKey(file: clientKeyFile, format: .pem) }
                    return try NIOSSLPrivateKey(file: clientKeyFile, format: .pem) { (setter: ([UInt8]) -> Void) in
                        setter(Array(password.utf8))
                    }
                }
                configuration.privateKey = .privateKey(key)
            }
        }
        return configuration
    }

    /// Why a first connection failed, when TLS is the reason (nil otherwise).
    static func failure(_ error: any Error, mode: Mode) -> String? {
        if let error = error as? PSQLError {
            if error.code == .sslUnsupported {
                return "the server does not offer TLS, and sslmode=\(mode.rawValue) requires it"
            }
            if error.code == .failedToAddSSLHandler { return "TLS could not be set up: \(String(reflecting: error))" }
            if let underlying = error.underlying, let reason = failure(underlying, mode: mode) { return reason }
            return nil
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return "the TLS handshake failed (sslmode=\(mode.rawValue)): \(String(reflecting: error))"
        }
        return nil
    }

    private static func roots(_ file: String?) throws(DatabaseError) -> NIOSSLTrustRoots {
        guard let file else { return .default }
        return .certificates(try load("sslrootcert", file) { try NIOSSLCertificate.fromPEMFile(file) })
    }

    private static func load<T>(_ parameter: String, _ path: String, _ body: () throws -> T) throws(DatabaseError) -> T {
        do {
            return try body()
        } catch {
            throw .badURL("\(parameter)=\(path) cannot be used: \(error)")
        }
    }
}
