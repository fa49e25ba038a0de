import ArgumentParser
import KafkaWire
import ServiceOptions

/// Where the services are, and how to print: flags, then environment, then the defaults of
/// the embedded stack (`orders up`).
public struct GlobalOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("command-url"), help: "OrderCommand's address (env ORDERS_COMMAND_URL)")
    var commandURL = env("ORDERS_COMMAND_URL") ?? "http://127.0.0.1:8081"

    @Option(name: .customLong("query-url"), help: "OrderQuery's address (env ORDERS_QUERY_URL)")
    var queryURL = env("ORDERS_QUERY_URL") ?? "http://127.0.0.1:8082"

    @Option(name: .customLong("notifier-url"), help: "The notifier's address (env ORDERS_NOTIFIER_URL)")
    var notifierURL = env("ORDERS_NOTIFIER_URL") ?? "http://127.0.0.1:8083"

    @Option(name: .customLong("console-url"), help: "The web console's address (env ORDERS_CONSOLE_URL); orders up and demo run it there")
    var consoleURL = env("ORDERS_CONSOLE_URL") ?? "http://127.0.0.1:8080"

    @Option(help: "Kafka bootstrap servers, host:port[,host:port...] (env KAFKA_BOOTSTRAP_SERVERS)")
    var kafkaBootstrapServers = env("KAFKA_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092"

    @OptionGroup var kafkaSecurity: KafkaSecurityOptions

    @Option(help: "The event topic (env ORDERS_TOPIC)")
    var ordersTopic = env("ORDERS_TOPIC") ?? "orders.events"

    @Option(name: .customLong("admin-token"), help: "Bearer token of the services' /admin/ routes (env ADMIN_TOKEN)")
    var adminTokenFlag: String?

    /// The flag, else the environment: read here, not as a default, so `--help` never shows it.
    var adminToken: String { adminTokenFlag ?? env("ADMIN_TOKEN") ?? "" }

    @Option(name: .customLong("token"), help: "Bearer token (a JWT) of every request, when the services require one (env ORDERS_TOKEN)")
    var bearerTokenFlag: String?

    /// The flag, else the environment, nil when neither is set (never shown by `--help`).
    var bearerToken: String? {
        let token = bearerTokenFlag ?? env("ORDERS_TOKEN") ?? ""
        return token.isEmpty ? nil : token
    }

    @Flag(help: "Print JSON (JSON lines where the output is a stream) instead of text")
    var json = false

    public init() {}

    var command: ServiceClient {
        ServiceClient(name: "OrderCommand", baseURL: commandURL, setting: "--command-url / ORDERS_COMMAND_URL", token: bearerToken)
    }
    var query: ServiceClient {
        ServiceClient(name: "OrderQuery", baseURL: queryURL, setting: "--query-url / ORDERS_QUERY_URL", adminToken: token, token: bearerToken)
    }
    var notifier: ServiceClient {
        ServiceClient(name: "Notifier", baseURL: notifierURL, setting: "--notifier-url / ORDERS_NOTIFIER_URL", adminToken: token, token: bearerToken)
    }
    var token: String? { adminToken.isEmpty ? nil : adminToken }

    func bootstrapServers() throws -> [BrokerAddress] {
        do {
            return try BrokerAddress.list(kafkaBootstrapServers)
        } catch {
            throw CLIError.usage("--kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS: \(error)")
        }
    }

    /// How to reach Kafka: the bootstrap servers and the security settings.
    func kafkaClient() throws -> KafkaClientConfiguration {
        var client = KafkaClientConfiguration(bootstrapServers: try bootstrapServers())
        client.clientID = "orders-cli"
        client.security = try kafkaSecurity.configuration()
        return client
    }

    public func validate() throws {
        for (name, url) in [("--command-url", commandURL), ("--query-url", queryURL), ("--notifier-url", notifierURL), ("--console-url", consoleURL)] {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ValidationError("\(name) must be an http:// or https:// URL, not \(url.debugDescription)")
            }
        }
    }
}
