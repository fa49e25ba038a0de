import KafkaSecurity

/// How a client secures its connections to the brokers: Kafka's `security.protocol`, the SASL
/// mechanism and credentials, and the TLS settings. The default is PLAINTEXT, as in Kafka.
///
/// Secrets are held as `KafkaSecret`, whose description is masked; `description` of this value
/// is safe to log.
public struct KafkaSecurityConfiguration: Sendable, CustomStringConvertible {
    /// `security.protocol`.
    public typealias SecurityProtocol = KafkaSecurity.SecurityProtocol

    /// Who the client is on a SASL connection.
    public enum SaslCredentials: Sendable {
        case plain(username: String, password: KafkaSecret)
        case scram(ScramAlgorithm, username: String, password: KafkaSecret)
        /// A token read from this file at each authentication, so an agent can refresh it.
        case oauthBearer(tokenFile: String)

        public var mechanism: SaslMechanism {
            switch self {
            case .plain: return .plain
            case .scram(let algorithm, _, _): return algorithm.mechanism
            case .oauthBearer: return .oauthBearer
            }
        }
    }

    /// TLS settings (the `ssl.*` properties).
    public struct TLS: Sendable {
        /// PEM file of the CAs to trust (ssl.ca.location); nil trusts the system's roots.
        public var caFile: String?
        /// PEM client certificate (chain) and key for mutual TLS (ssl.certificate.location, ssl.key.location).
        public var certificateFile: String?
        public var keyFile: String?
        /// Passphrase of an encrypted key (ssl.key.password).
        public var keyPassword: KafkaSecret?
        /// Check that the broker's certificate names the host connected to
        /// (ssl.endpoint.identification.algorithm=https, the default; `none` turns it off).
        public var verifyHostname = true

        public init() {}
    }

    public var securityProtocol: SecurityProtocol
    public var sasl: SaslCredentials?
    public var tls: TLS

    public init(securityProtocol: SecurityProtocol = .plaintext, sasl: SaslCredentials? = nil, tls: TLS = TLS()) {
        self.securityProtocol = securityProtocol
        self.sasl = sasl
        self.tls = tls
    }

    public static let plaintext = KafkaSecurityConfiguration()

    /// Refuses settings that cannot work, with one line saying why; loads the TLS files so an
    /// unreadable or malformed certificate or key is found at start, not at the first connection.
    public func validate() throws(KafkaError) {
        if securityProtocol.usesSASL && sasl == nil {
            throw KafkaError(.invalidConfiguration, "security.protocol=\(securityProtocol.rawValue) needs sasl.mechanism and its credentials")
        }
        if !securityProtocol.usesSASL, let sasl {
            throw KafkaError(.invalidConfiguration,
                             "sasl.mechanism=\(sasl.mechanism) is set but security.protocol=\(securityProtocol.rawValue) does not use SASL")
        }
        if !securityProtocol.usesTLS && (tls.caFile != nil || tls.certificateFile != nil || tls.keyFile != nil) {
            throw KafkaError(.invalidConfiguration, "ssl.* files are set but security.protocol=\(securityProtocol.rawValue) does not use TLS")
        }
        if (tls.certificateFile == nil) != (tls.keyFile == nil) {
            throw KafkaError(.invalidConfiguration, "ssl.certificate.location and ssl.key.location must be set together")
        }
        switch sasl {
        case .plain(let username, let password), .scram(_, let username, let password):
            if username.isEmpty || password.value.isEmpty {
                throw KafkaError(.invalidConfiguration, "sasl.mechanism=\(sasl!.mechanism) needs sasl.username and sasl.password")
            }
        case .oauthBearer(let tokenFile):
            _ = try OAuthBearerToken.read(from: tokenFile)
        case nil:
            break
        }
        if securityProtocol.usesTLS { _ = try TLSClientContext.make(tls) }
    }

    public var description: String {
        var parts = ["security.protocol=\(securityProtocol.rawValue)"]
        switch sasl {
        case .plain(let username, let password), .scram(_, let username, let password):
            parts += ["sasl.mechanism=\(sasl!.mechanism)", "sasl.username=\(username)", "sasl.password=\(password)"]
        case .oauthBearer(let tokenFile):
            parts += ["sasl.mechanism=OAUTHBEARER", "sasl.oauthbearer.token.file=\(tokenFile)"]
        case nil:
            break
        }
        if securityProtocol.usesTLS {
            parts.append("ssl.ca.location=\(tls.caFile ?? "(system roots)")")
            if let file = tls.certificateFile { parts.append("ssl.certificate.location=\(file)") }
            if let file = tls.keyFile { parts.append("ssl.key.location=\(file)") }
            if let password = tls.keyPassword { parts.append("ssl.key.password=\(password)") }
            parts.append("ssl.endpoint.identification.algorithm=\(tls.verifyHostname ? "https" : "none")")
        }
        return parts.joined(separator: " ")
    }
}

/// A password, key passphrase or token: usable by the library, never printed.
public struct KafkaSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, ExpressibleByStringLiteral {
    public let value: String
    public init(_ value: String) { self.value = value }
    public init(stringLiteral value: String) { self.value = value }
    public var description: String { "[redacted]" }
    public var debugDescription: String { "[redacted]" }
}
