import Foundation
import KafkaBroker
import KafkaProtocol
import KafkaSecurity
import KafkaWire
import Logging
import NIOCore
import NIOPosix
import Testing
import TestSupport

/// KafkaWire against the in-process dev broker on a SASL_PLAINTEXT listener (TLS is covered by
/// the interop suite, which has certificates): typed failures, and sessions kept alive by
/// re-authentication while a producer and a consumer group work.
@Suite("SASL against the dev broker")
struct SaslBrokerTests {
    static let password = "correct horse battery staple"

    /// A broker whose only listener requires SASL, with users alice and bob.
    static func withSaslBroker(reauthMilliseconds: Int64? = nil, _ body: (BrokerServer, Int) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafkawire-sasl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = BrokerConfiguration(dataDirectory: directory)
        configuration.listeners = [BrokerListener(host: "127.0.0.1", port: 0, securityProtocol: .saslPlaintext)]
        configuration.groups.initialRebalanceDelayMilliseconds = 0
        configuration.sasl.connectionsMaxReauthMilliseconds = reauthMilliseconds
        try configuration.sasl.users.set(user: "alice", password: password)
        try configuration.sasl.users.set(user: "bob", password: "another")
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try BrokerServer(configuration: configuration, logger: InProcessBroker.logger) { _, port in continuation.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw InProcessBroker.NoPort() }
            try await body(server, port)
            group.cancelAll()
        }
    }

    static func client(_ port: Int, _ sasl: KafkaSecurityConfiguration.SaslCredentials?) -> KafkaClientConfiguration {
        var client = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
        client.requestTimeout = .seconds(10)
        client.connectTimeout = .seconds(10)
        client.security = KafkaSecurityConfiguration(securityProtocol: sasl == nil ? .plaintext : .saslPlaintext, sasl: sasl)
        return client
    }

    @Test("each mechanism authenticates; a wrong password or unknown user is a final authenticationFailed",
          arguments: [SaslMechanism.plain, .scramSHA256, .scramSHA512])
    func mechanisms(mechanism: SaslMechanism) async throws {
        func credentials(_ user: String, _ password: String) -> KafkaSecurityConfiguration.SaslCredentials {
            mechanism == .plain ? .plain(username: user, password: KafkaSecret(password))
                : .scram(mechanism.scramAlgorithm!, username: user, password: KafkaSecret(password))
        }
        try await Self.withSaslBroker { _, port in
            let admin = KafkaAdmin(configuration: Self.client(port, credentials("alice", Self.password)), logger: InProcessBroker.logger)
            _ = try await admin.createTopics([NewTopic(name: "t-\(mechanism)", partitions: 1)])
            await admin.shutdown()
            for (user, password) in [("alice", "wrong"), ("mallory", Self.password)] {
                let refused = KafkaAdmin(configuration: Self.client(port, credentials(user, password)), logger: InProcessBroker.logger)
                let started = ContinuousClock.now
                do {
                    _ = try await refused.listTopics()
                    Issue.record("\(user) was let in")
                } catch let error as KafkaError {
                    #expect(error.code == .authenticationFailed, "\(error)")
                    #expect(!error.isRetriable)
                    #expect(!"\(error)".contains(password))
                }
                // Bounded by the connect timeout, not a retry loop (a generous bound, not a timing claim).
                #expect(ContinuousClock.now - started < .seconds(30))
                await refused.shutdown()
            }
        }
    }

    @Test("a client without SASL on a SASL listener is refused, the broker keeps serving others")
    func unauthenticatedClient() async throws {
        try await Self.withSaslBroker { _, port in
            let anonymous = try await BrokerConnection.connect(
                to: BrokerAddress(host: "127.0.0.1", port: port), nodeID: -1, configuration: Self.client(port, nil),
                logger: InProcessBroker.logger)
            await #expect(throws: KafkaError.self) { _ = try await anonymous.send(MetadataRequest(topics: [])) }
            let admin = KafkaAdmin(
                configuration: Self.client(port, .scram(.sha512, username: "alice", password: KafkaSecret(Self.password))),
                logger: InProcessBroker.logger)
            _ = try await admin.listTopics()
            await admin.shutdown()
        }
    }

    @Test("a producer and a consumer group run across several session lifetimes without an error, a loss or a reorder")
    func reauthentication() async throws {
        let lifetime: Int64 = 1500
        try await Self.withSaslBroker(reauthMilliseconds: lifetime) { server, port in
            let sasl = KafkaSecurityConfiguration.SaslCredentials.scram(.sha512, username: "alice", password: KafkaSecret(Self.password))
            let admin = KafkaAdmin(configuration: Self.client(port, sasl), logger: InProcessBroker.logger)
            _ = try await admin.createTopics([NewTopic(name: "reauth", partitions: 1)])
            await admin.shutdown()

            var producerConfiguration = KafkaProducerConfiguration(client: Self.client(port, sasl))
            producerConfiguration.maxBlock = .seconds(10)
            // A batch per record or two: a burst is several produce requests, up to five in flight.
            producerConfiguration.linger = .zero
            producerConfiguration.batchSize = 64
            var consumerConfiguration = KafkaConsumerConfiguration(
                client: Self.client(port, sasl), consumption: .group(id: "reauth-group", topics: ["reauth"]))
            consumerConfiguration.autoOffsetReset = .earliest
            consumerConfiguration.sessionTimeout = .seconds(10)
            consumerConfiguration.heartbeatInterval = .milliseconds(300)
            let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: InProcessBroker.logger)
            let producing = producerConfiguration

            // The group consumes while the producer sends bursts of records, each burst enqueued
            // at once (so several produce requests are in flight when a re-authentication starts)
            // and then awaited, until three session lifetimes have passed and the broker has
            // counted re-authentications (the load's shape, not a wait for an outcome). Then the
            // group reads what is left: every record once, in the order sent.
            let (sent, received) = try await ConsumerTestSupport.withRunning(consumer) { consumer in
                async let consumed: [String] = {
                    var iterator = consumer.messages.makeAsyncIterator()
                    var values: [String] = []
                    while let record = try await iterator.next() {
                        let value = String(buffer: record.value!)
                        values.append(value)
                        if value == "last" { return values }
                    }
                    return values
                }()
                let sent = try await ProducerTestSupport.withProducer(producing) { producer in
                    var sent: [String] = []
                    let start = ContinuousClock.now
                    // Without re-authentication the count stays 0; the 60 s bound ends the loop then.
                    while ContinuousClock.now - start < .milliseconds(lifetime * 3)
                        || (server.reauthenticationCount < 2 && ContinuousClock.now - start < .seconds(60))
                    {
                        var handles: [DeliveryHandle] = []
                        for _ in 0..<20 {
                            let value = "r\(sent.count)"
                            handles.append(try await producer.enqueue(ProducerRecord(topic: "reauth", value: value, partition: 0)))
                            sent.append(value)
                        }
                        for handle in handles { _ = try await handle.metadata() }
                    }
                    _ = try await producer.send(ProducerRecord(topic: "reauth", value: "last", partition: 0))
                    return sent + ["last"]
                }
                return (sent, try await consumed)
            }
            #expect(received == sent)
            #expect(server.reauthenticationCount >= 2)
        }
    }
}

@Suite("Idle connections")
struct IdleConnectionTests {
    @Test("a connection that sends nothing, or half a frame, is closed after connections.max.idle.ms")
    func idleConnectionsAreClosed() async throws {
        try await InProcessBroker.run({ $0.connectionsMaxIdleMilliseconds = 300 }) { port in
            for bytes in [[UInt8](), [0, 0, 1, 0, 0, 18]] {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                if !bytes.isEmpty { try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get() }
                // The broker closes it; the wait only bounds a failure.
                try await waitUntil("the broker to close an idle connection", timeout: .seconds(60)) { !channel.isActive }
            }
        }
    }
}
