import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// Builds swift-nio-ssl's client context from the `ssl.*` settings.
enum TLSClientContext {
    /// The settings a context is built from (the key's passphrase included: a different one is
    /// a different context).
    private struct Key: Hashable {
        var caFile: String?
        var certificateFile: String?
        var keyFile: String?
        var keyPassword: String?
        var verifyHostname: Bool
    }

    /// Contexts already built, by settings. Building one reads and parses the PEM files (or the
    /// system's trust store) and is expensive, as swift-nio-ssl warns; it is done once per
    /// settings at start (`validate`), not again on each connection to each broker.
    private static let built = NIOLockedValueBox<[Key: NIOSSLContext]>([:])

    static func make(_ tls: KafkaSecurityConfiguration.TLS) throws(KafkaError) -> NIOSSLContext {
        let key = Key(caFile: tls.caFile, certificateFile: tls.certificateFile, keyFile: tls.keyFile,
                      keyPassword: tls.keyPassword?.value, verifyHostname: tls.verifyHostname)
        if let context = built.withLockedValue({ $0[key] }) { return context }
        let context = try build(tls)
        built.withLockedValue { $0[key] = context }
        return context
    }

    private static func build(_ tls: KafkaSecurityConfiguration.TLS) throws(KafkaError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = tls.verifyHostname ? .fullVerification : .noHostnameVerification
        if let caFile = tls.caFile {
            configuration.trustRoots = .certificates(try load("ssl.ca.location", caFile) { try NIOSSLCertificate.fromPEMFile(caFile) })
        }
        if let certificateFile = tls.certificateFile, let keyFile = tls.keyFile {
            configuration.certificateChain = try load("ssl.certificate.location", certificateFile) {
                try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            }
            let key = try load("ssl.key.location", keyFile) { () throws -> NIOSSLPrivateKey in
                guard let password = tls.keyPassword else { return try NIOSSLPrivateKey(file: keyFile, format: .pem) }
                return try NIOSSLPrivateKey(file: keyFile, format: .pem) { (setter: ([UInt8]) -> Void) in
                    setter(Array(password.value.utf8))
                }
            }
            configuration.privateKey = .privateKey(key)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw KafkaError(.invalidConfiguration, "TLS settings: \(error) (ssl.certificate.location and ssl.key.location must be a pair)")
        }
    }

    /// Loads one file, naming the property and the path when it cannot (missing, not PEM, a
    /// key whose passphrase is wrong or missing).
    private static func load<T>(_ property: String, _ path: String, _ body: () throws -> T) throws(KafkaError) -> T {
        do {
            return try body()
        } catch {
            throw KafkaError(.invalidConfiguration, "\(property)=\(path) cannot be used: \(error)")
        }
    }

    /// The name sent in SNI and checked against the certificate: the host, unless it is an IP
    /// address (SNI carries names only; the certificate's IP entries are checked instead).
    static func serverName(for host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }
}
