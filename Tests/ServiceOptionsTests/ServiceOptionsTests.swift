import ArgumentParser
import Foundation
import KafkaWire
import SQLStore
import Testing

@testable import ServiceOptions

/// What every service's configuration says about Kafka, as a test double of one.
private struct SomeServiceConfiguration: KafkaServiceConfiguration {
    var bootstrapServers: [BrokerAddress] = []
    var kafkaSecurity = KafkaSecurityConfiguration.plaintext
    var groupID = "some-service"
    var sessionTimeout: Duration = .seconds(10)
    var heartbeatInterval: Duration = .seconds(1)
}

/// The options every service shares, and the configuration they make.
@Suite struct ServiceCommonOptionsTests {
    @Test func flagsBecomeTheKafkaSettingsAndTheGroupConsumer() throws {
        let options = try ServiceCommonOptions.parse([
            "--kafka-bootstrap-servers", "k1:9092,k2:9093", "--orders-topic", "shop.events", "--session-timeout-ms", "8000",
        ])
        var configuration = SomeServiceConfiguration()
        try options.apply(to: &configuration)
        #expect(configuration.bootstrapServers.map { "\($0)" } == ["k1:9092", "k2:9093"])
        #expect(configuration.sessionTimeout == .seconds(8))
        #expect(configuration.heartbeatInterval == .milliseconds(800))
        #expect(try options.topic() == "shop.events")

        let consumer = configuration.groupConsumer(of: ["shop.events"])
        #expect(consumer.enableAutoCommit == false)
        #expect(consumer.commitOnRevoke == false)
        #expect(consumer.autoOffsetReset == .earliest)
        #expect(consumer.sessionTimeout == .seconds(8))
        #expect(consumer.client.bootstrapServers.map { "\($0)" } == ["k1:9092", "k2:9093"])
    }

    @Test(arguments: [
        (["--kafka-bootstrap-servers", ""], "KAFKA_BOOTSTRAP_SERVERS"),
        (["--session-timeout-ms", "10"], "SESSION_TIMEOUT_MS"),
        (["--log-level", "loud"], "LOG_LEVEL"),
    ])
    func badValuesAreRefusedByName(arguments: [String], variable: String) throws {
        let options = try ServiceCommonOptions.parse(arguments)
        var configuration = SomeServiceConfiguration()
        #expect {
            try options.apply(to: &configuration)
        } throws: { error in
            ServiceCommonOptions.message(for: error).contains(variable)
        }
    }

    @Test func aBadTopicNameIsRefusedByName() throws {
        let options = try ServiceCommonOptions.parse(["--orders-topic", "no spaces please"])
        #expect { try options.topic() } throws: { ServiceCommonOptions.message(for: $0).contains("ORDERS_TOPIC") }
    }
}

/// A Kafka security setting that cannot work stops a service at start with one line that
/// names the setting, and never shows a secret.
@Suite struct KafkaSecurityOptionsTests {
    static let secret = "pa55-w0rd-not-for-logs"

    func refusal(_ arguments: [String]) throws -> String {
        let options = try KafkaSecurityOptions.parse(arguments)
        do {
            _ = try options.configuration()
        } catch {
            return KafkaSecurityOptions.message(for: error)
        }
        Issue.record("accepted: \(arguments)")
        return ""
    }

    @Test func saslWithoutAMechanismIsRefused() throws {
        let message = try refusal(["--kafka-security-protocol", "SASL_SSL"])
        #expect(message.contains("needs sasl.mechanism"), "\(message)")
        #expect(!message.contains("\n"), "one line: \(message)")
    }

    @Test func aMechanismWithoutCredentialsIsRefused() throws {
        let message = try refusal(["--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanism", "SCRAM-SHA-512"])
        #expect(message.contains("sasl.username"), "\(message)")
    }

    @Test func aKeyWithoutACertificateIsRefused() throws {
        let message = try refusal(["--kafka-security-protocol", "SSL", "--kafka-ssl-key-location", "/tmp/some.key"])
        #expect(message.contains("ssl.certificate.location"), "\(message)")
    }

    @Test func anUnreadablePasswordFileIsRefusedByName() throws {
        let message = try refusal([
            "--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanism", "PLAIN", "--kafka-sasl-username", "u",
            "--kafka-sasl-password-file", "/nonexistent/password",
        ])
        #expect(message.contains("KAFKA_SASL_PASSWORD_FILE"), "\(message)")
    }

    @Test func aPasswordAndItsFileTogetherAreRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("password-\(UUID())").path
        try Self.secret.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let message = try refusal([
            "--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanism", "PLAIN", "--kafka-sasl-username", "u",
            "--kafka-sasl-password", Self.secret, "--kafka-sasl-password-file", file,
        ])
        #expect(message.contains("not both"), "\(message)")
        #expect(!message.contains(Self.secret))
    }

    @Test func aMechanismOnAPlaintextProtocolIsRefusedWithoutThePassword() throws {
        let message = try refusal([
            "--kafka-security-protocol", "PLAINTEXT", "--kafka-sasl-mechanism", "PLAIN", "--kafka-sasl-username", "u",
            "--kafka-sasl-password", Self.secret,
        ])
        #expect(message.contains("does not use SASL"), "\(message)")
        #expect(!message.contains(Self.secret))
    }

    @Test func aWorkingConfigurationDescribesItselfWithTheSecretMasked() throws {
        let configuration = try KafkaSecurityOptions.parse([
            "--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanism", "SCRAM-SHA-512", "--kafka-sasl-username", "orders",
            "--kafka-sasl-password", Self.secret,
        ]).configuration()
        #expect(configuration.securityProtocol == .saslPlaintext)
        #expect(configuration.description.contains("orders"))
        #expect(!configuration.description.contains(Self.secret))
        #expect(!"\(configuration)".contains(Self.secret))
    }
}

/// The database and admin-token options of order-query and notifier.
@Suite struct DatabaseAndAdminOptionsTests {
    @Test func theDefaultDatabaseIsTheServicesSQLiteFileInTheDataDirectory() throws {
        let database = try DatabaseOptions.parse(["--orders-data-dir", "/var/lib/orders"]).database(defaultFile: "notifier.sqlite")
        #expect(database == .sqlite(path: "/var/lib/orders/notifier.sqlite"))
    }

    @Test func aBadDatabaseURLIsRefusedByName() throws {
        let options = try DatabaseOptions.parse(["--database-url", "mysql://nope"])
        #expect { try options.database(defaultFile: "x.sqlite") } throws: { DatabaseOptions.message(for: $0).contains("--database-url") }
    }

    @Test func anEmptyAdminTokenIsNoToken() throws {
        #expect(try AdminTokenOptions.parse(["--admin-token", ""]).adminToken == nil)
        #expect(try AdminTokenOptions.parse(["--admin-token", "t0ken"]).adminToken == "t0ken")
    }
}
