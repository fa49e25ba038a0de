import Foundation
import KafkaSecurity

extension KafkaSecurityConfiguration {
    /// The property names this configuration reads, as the Java client and librdkafka spell them.
    public static let propertyNames: Set<String> = [
        "security.protocol", "sasl.mechanism", "sasl.mechanisms", "sasl.username", "sasl.password",
        "sasl.oauthbearer.token.file", "ssl.ca.location", "ssl.certificate.location", "ssl.key.location",
        "ssl.key.password", "ssl.endpoint.identification.algorithm",
        // As Java clients' client.properties files carry them (see `init(properties:)`).
        "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location",
    ]

    /// Builds the configuration from Java/librdkafka properties; other keys are ignored here
    /// (callers decide whether an unknown key is an error). Validates the result.
    ///
    /// A Java client's way of saying the same is understood too: `sasl.jaas.config` with the
    /// PLAIN or SCRAM login module gives the username and password, and a PEM trust store
    /// (`ssl.truststore.type=PEM`) is the CA file. A JKS or PKCS12 store is refused with what
    /// to do instead.
    public init(properties given: [String: String]) throws(KafkaError) {
        var properties = given
        if let jaas = given["sasl.jaas.config"] {
            let credentials = try JaasConfig.credentials(jaas)
            properties["sasl.username"] = given["sasl.username"] ?? credentials.username
            properties["sasl.password"] = given["sasl.password"] ?? credentials.password
        }
        if let store = given["ssl.truststore.location"] {
            guard given["ssl.truststore.type"]?.uppercased() == "PEM" else {
                throw KafkaError(.invalidConfiguration,
                                 "ssl.truststore.location: only ssl.truststore.type=PEM is read (convert a JKS or PKCS12 store to PEM, or set ssl.ca.location)")
            }
            properties["ssl.ca.location"] = given["ssl.ca.location"] ?? store
        }
        let protocolName = properties["security.protocol"] ?? "PLAINTEXT"
        guard let securityProtocol = SecurityProtocol(rawValue: protocolName.uppercased()) else {
            throw KafkaError(.invalidConfiguration,
                             "security.protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got \"\(protocolName)\"")
        }
        var tls = TLS()
        tls.caFile = properties["ssl.ca.location"]
        tls.certificateFile = properties["ssl.certificate.location"]
        tls.keyFile = properties["ssl.key.location"]
        tls.keyPassword = properties["ssl.key.password"].map { KafkaSecret($0) }
        switch properties["ssl.endpoint.identification.algorithm"]?.lowercased() {
        case nil, "https": tls.verifyHostname = true
        case "none", "": tls.verifyHostname = false
        case let other?:
            throw KafkaError(.invalidConfiguration, "ssl.endpoint.identification.algorithm must be https or none, got \"\(other)\"")
        }
        var sasl: SaslCredentials?
        if let name = properties["sasl.mechanism"] ?? properties["sasl.mechanisms"] {
            guard let mechanism = SaslMechanism(name: name) else {
                throw KafkaError(.invalidConfiguration,
                                 "sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, got \"\(name)\"")
            }
            let username = properties["sasl.username"] ?? ""
            let password = KafkaSecret(properties["sasl.password"] ?? "")
            switch mechanism {
            case .plain: sasl = .plain(username: username, password: password)
            case .scramSHA256, .scramSHA512: sasl = .scram(mechanism.scramAlgorithm!, username: username, password: password)
            case .oauthBearer:
                guard let file = properties["sasl.oauthbearer.token.file"] else {
                    throw KafkaError(.invalidConfiguration, "sasl.mechanism=OAUTHBEARER needs sasl.oauthbearer.token.file")
                }
                sasl = .oauthBearer(tokenFile: file)
            }
        } else if securityProtocol.usesSASL {
            // Kafka's clients default to GSSAPI, which this library does not speak: say so plainly.
            throw KafkaError(.invalidConfiguration, "security.protocol=\(securityProtocol.rawValue) needs sasl.mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER)")
        }
        self.init(securityProtocol: securityProtocol, sasl: sasl, tls: tls)
        try validate()
    }

    /// Parses a Java-style properties file (`key=value` lines, `#` and `!` comments), as
    /// `-F client.properties` takes it.
    public static func parsePropertiesFile(_ path: String) throws(KafkaError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw KafkaError(.invalidConfiguration, "cannot read properties file \(path): \(error.localizedDescription)")
        }
        var properties: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw KafkaError(.invalidConfiguration, "\(path):\(number + 1): expected key=value")
            }
            let key = line[..<separator].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: separator)...].trimmingCharacters(in: .whitespaces)
            properties[key] = value
        }
        return properties
    }

    /// Reads a secret mounted as a file (a password, a token); the file's trailing newline is
    /// not part of the secret. `what` names the setting in the error.
    public static func readSecretFile(_ path: String, what: String) throws(KafkaError) -> String {
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            // Secret files usually end with a newline; the secret does not.
            return text.trimmingCharacters(in: .newlines)
        } catch {
            throw KafkaError(.invalidConfiguration, "\(what): cannot read \(path): \(error.localizedDescription)")
        }
    }
}

/// Reads the OAUTHBEARER token file, at each authentication.
enum OAuthBearerToken {
    static func read(from path: String) throws(KafkaError) -> KafkaSecret {
        let token = try KafkaSecurityConfiguration.readSecretFile(path, what: "sasl.oauthbearer.token.file")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw KafkaError(.invalidConfiguration, "sasl.oauthbearer.token.file \(path) is empty") }
        return KafkaSecret(token)
    }
}
