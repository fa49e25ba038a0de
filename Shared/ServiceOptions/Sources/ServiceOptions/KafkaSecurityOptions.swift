import ArgumentParser
import KafkaWire

/// How the services and `orders` connect to a secured Kafka: flags named after the Java and
/// librdkafka properties, each defaulting to its environment variable (KAFKA_ and the property
/// in capitals, `.` as `_`), as containers and managed platforms hand them over.
///
/// Secrets (the SASL password, the key passphrase) have no default shown in `--help`: they are
/// read from the environment when the configuration is built, or from a file.
public struct KafkaSecurityOptions: ParsableArguments, Sendable {
    @Option(help: "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (env KAFKA_SECURITY_PROTOCOL)")
    var kafkaSecurityProtocol = env("KAFKA_SECURITY_PROTOCOL") ?? "PLAINTEXT"

    @Option(help: "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER (env KAFKA_SASL_MECHANISM)")
    var kafkaSaslMechanism = env("KAFKA_SASL_MECHANISM") ?? ""

    @Option(help: "SASL user (env KAFKA_SASL_USERNAME)")
    var kafkaSaslUsername = env("KAFKA_SASL_USERNAME") ?? ""

    @Option(help: "SASL password (env KAFKA_SASL_PASSWORD; prefer the file)")
    var kafkaSaslPassword: String?

    @Option(help: "File holding the SASL password, as container secrets are mounted (env KAFKA_SASL_PASSWORD_FILE)")
    var kafkaSaslPasswordFile = env("KAFKA_SASL_PASSWORD_FILE") ?? ""

    @Option(help: "OAUTHBEARER token file, read at each authentication (env KAFKA_SASL_OAUTHBEARER_TOKEN_FILE)")
    var kafkaSaslOauthbearerTokenFile = env("KAFKA_SASL_OAUTHBEARER_TOKEN_FILE") ?? ""

    @Option(help: "PEM file of the CAs to trust; the system's roots when unset (env KAFKA_SSL_CA_LOCATION)")
    var kafkaSslCaLocation = env("KAFKA_SSL_CA_LOCATION") ?? ""

    @Option(help: "PEM client certificate for mutual TLS (env KAFKA_SSL_CERTIFICATE_LOCATION)")
    var kafkaSslCertificateLocation = env("KAFKA_SSL_CERTIFICATE_LOCATION") ?? ""

    @Option(help: "PEM client key for mutual TLS (env KAFKA_SSL_KEY_LOCATION)")
    var kafkaSslKeyLocation = env("KAFKA_SSL_KEY_LOCATION") ?? ""

    @Option(help: "Passphrase of an encrypted client key (env KAFKA_SSL_KEY_PASSWORD)")
    var kafkaSslKeyPassword: String?

    @Option(help: "https (check the broker's certificate names its host) or none (env KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM)")
    var kafkaSslEndpointIdentificationAlgorithm = env("KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM") ?? "https"

    public init() {}

    /// The validated configuration; a setting that cannot work is a usage error naming it.
    public func configuration() throws -> KafkaSecurityConfiguration {
        var properties: [String: String] = [
            "security.protocol": kafkaSecurityProtocol,
            "ssl.endpoint.identification.algorithm": kafkaSslEndpointIdentificationAlgorithm,
        ]
        let optional: [(String, String)] = [
            ("sasl.mechanism", kafkaSaslMechanism), ("sasl.username", kafkaSaslUsername),
            ("sasl.oauthbearer.token.file", kafkaSaslOauthbearerTokenFile), ("ssl.ca.location", kafkaSslCaLocation),
            ("ssl.certificate.location", kafkaSslCertificateLocation), ("ssl.key.location", kafkaSslKeyLocation),
        ]
        for (name, value) in optional where !value.isEmpty { properties[name] = value }
        let password = kafkaSaslPassword ?? env("KAFKA_SASL_PASSWORD")
        do {
            switch (password, kafkaSaslPasswordFile.isEmpty) {
            case (let password?, true): properties["sasl.password"] = password
            case (nil, false):
                properties["sasl.password"] = try KafkaSecurityConfiguration.readSecretFile(
                    kafkaSaslPasswordFile, what: "KAFKA_SASL_PASSWORD_FILE")
            case (_?, false):
                throw ValidationError("set the SASL password or its file (KAFKA_SASL_PASSWORD / KAFKA_SASL_PASSWORD_FILE), not both")
            case (nil, true):
                break
            }
            if let keyPassword = kafkaSslKeyPassword ?? env("KAFKA_SSL_KEY_PASSWORD") { properties["ssl.key.password"] = keyPassword }
            return try KafkaSecurityConfiguration(properties: properties)
        } catch let error as KafkaError {
            throw ValidationError("Kafka security settings (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*): \(error.message)")
        }
    }
}
