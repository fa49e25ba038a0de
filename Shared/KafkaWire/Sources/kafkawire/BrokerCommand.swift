import ArgumentParser
import KafkaBroker
import KafkaProtocol
import KafkaSecurity
import Logging
import ServiceLifecycle

struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker",
        abstract: "Run a single-node Kafka-compatible broker for development and tests.",
        discussion: """
            Real Kafka clients (librdkafka/kcat, confluent-kafka, kafka-python, the Java client) \
            connect to it as to a one-broker cluster. Data lives under --data-dir and survives restarts.
            """
    )

    @Option(help: ArgumentHelp(
        "Listener, [PROTOCOL://]HOST:PORT, repeatable; PROTOCOL is PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL (port 0 picks a free one).",
        valueName: "listener"))
    var listen: [String] = ["127.0.0.1:9092"]

    @Option(help: "Address advertised to clients, HOST:PORT, repeatable in the order of --listen (default: the listen address).")
    var advertise: [String] = []

    @Option(help: "PEM certificate (chain) of the TLS listeners.")
    var sslCertificate: String?

    @Option(help: "PEM private key of the TLS listeners.")
    var sslKey: String?

    @Option(help: "PEM CA of client certificates: when set, TLS listeners require one (mutual TLS).")
    var sslClientCa: String?

    @Option(help: "Users of the SASL listeners: a file of salted SCRAM credentials written by `kafkawire broker-users add`.")
    var saslUsers: String?

    @Option(help: "SASL mechanisms offered, comma-separated: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, and OAUTHBEARER (unsecured tokens, alg none, as Kafka's default validator: for testing clients only).")
    var saslMechanisms: String = "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"

    @Option(help: "SASL sessions end after this many milliseconds and must re-authenticate (KIP-368; 0: never).")
    var connectionsMaxReauthMs: Int64 = 0

    @Option(help: "Directory holding topic logs, committed offsets and producer ids.")
    var dataDir: String

    @Option(help: "Create topics on first Metadata/Produce mention (true|false).")
    var autoCreateTopics: Bool = true

    @Option(help: "Partitions of auto-created topics.")
    var defaultPartitions: Int32 = 1

    @Option(help: "Bytes per log segment before a new one is rolled.")
    var segmentBytes: Int64 = 1 << 30

    @Option(help: "fsync logs every N milliseconds (0: leave flushing to the OS).")
    var flushIntervalMs: Int64 = 1000

    @Option(help: "fsync a partition after N appended messages (0: off).")
    var flushIntervalMessages: Int64 = 0

    @Option(help: "Delete segments older than this many milliseconds (-1: keep forever).")
    var retentionMs: Int64 = 7 * 24 * 3600 * 1000

    @Option(help: "Delete oldest segments while a partition exceeds this many bytes (-1: no limit).")
    var retentionBytes: Int64 = -1

    @Option(help: "How often retention runs, in milliseconds.")
    var retentionCheckIntervalMs: Int64 = 300_000

    @Option(help: "Close a connection that sends nothing for this many milliseconds (connections.max.idle.ms).")
    var connectionsMaxIdleMs: Int64 = 600_000

    @Option(help: "Largest request frame in bytes; larger ones close the connection.")
    var maxRequestBytes: Int = 100 * 1024 * 1024

    @Option(help: "Largest record batch accepted, in bytes.")
    var maxMessageBytes: Int = 1_048_588

    @Option(help: "group.initial.rebalance.delay.ms")
    var groupInitialRebalanceDelayMs: Int64 = 3000

    @Option(help: "group.min.session.timeout.ms")
    var groupMinSessionTimeoutMs: Int32 = 6000

    @Option(
        name: .customLong("max-version"),
        help: "Cap an API's highest version, API=VERSION (e.g. Fetch=4); repeatable. Poses as an older broker.")
    var maxVersions: [String] = []

    @Option(
        name: .customLong("min-version"),
        help: "Raise an API's lowest version, API=VERSION; repeatable. Poses as a newer broker that dropped old versions.")
    var minVersions: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        ClientCommandSupport.bootstrapLogging(logLevel)
        let logger = Logger(label: "kafkawire.broker")

        var configuration = BrokerConfiguration(dataDirectory: dataDir)
        try BrokerSecurityOptions.apply(
            listen: listen, advertise: advertise, sslCertificate: sslCertificate, sslKey: sslKey, sslClientCA: sslClientCa,
            saslUsers: saslUsers, saslMechanisms: saslMechanisms, connectionsMaxReauthMs: connectionsMaxReauthMs,
            to: &configuration)
        configuration.autoCreateTopics = autoCreateTopics
        guard defaultPartitions > 0 else { throw ValidationError("--default-partitions must be at least 1") }
        configuration.defaultPartitions = defaultPartitions
        guard segmentBytes >= 1024 else { throw ValidationError("--segment-bytes must be at least 1024") }
        configuration.log.segmentBytes = segmentBytes
        configuration.log.flushIntervalMilliseconds = flushIntervalMs > 0 ? flushIntervalMs : nil
        configuration.log.flushIntervalMessages = flushIntervalMessages > 0 ? flushIntervalMessages : nil
        configuration.log.retentionMilliseconds = retentionMs >= 0 ? retentionMs : nil
        configuration.log.retentionBytes = retentionBytes >= 0 ? retentionBytes : nil
        guard retentionCheckIntervalMs > 0 else { throw ValidationError("--retention-check-interval-ms must be positive") }
        configuration.log.retentionCheckIntervalMilliseconds = retentionCheckIntervalMs
        guard connectionsMaxIdleMs > 0 else { throw ValidationError("--connections-max-idle-ms must be positive") }
        configuration.connectionsMaxIdleMilliseconds = connectionsMaxIdleMs
        configuration.maxFrameBytes = maxRequestBytes
        configuration.maxBatchBytes = maxMessageBytes
        configuration.groups.initialRebalanceDelayMilliseconds = groupInitialRebalanceDelayMs
        configuration.groups.minSessionTimeoutMilliseconds = groupMinSessionTimeoutMs
        configuration.maxVersions = try Self.parseVersions(maxVersions, option: "--max-version")
        configuration.minVersions = try Self.parseVersions(minVersions, option: "--min-version")

        let server = try BrokerServer(configuration: configuration, logger: logger)
        let services = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }

    static func parseAddress(_ text: String, option: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(option) expects HOST:PORT, got \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    static func parseVersions(_ items: [String], option: String) throws -> [APIKey: Int16] {
        var result: [APIKey: Int16] = [:]
        for item in items {
            let parts = item.split(separator: "=")
            guard parts.count == 2, let version = Int16(parts[1]),
                let key = APIKey.allKnown.first(where: { $0.name.lowercased() == parts[0].lowercased() || "\($0.rawValue)" == parts[0] })
            else {
                throw ValidationError("\(option) expects API=VERSION with a known API name (e.g. Fetch=4), got \"\(item)\"")
            }
            result[key] = version
        }
        return result
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
