import KafkaBroker
import KafkaProtocol
import KafkaWire
import Logging
import NIOCore
import Testing

/// One connection over real TCP to the in-process dev broker.
@Suite("Connection: real broker")
struct ConnectionBrokerTests {
    func connect(_ port: Int, _ adjust: (inout KafkaClientConfiguration) -> Void = { _ in }) async throws -> BrokerConnection {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
        adjust(&configuration)
        return try await BrokerConnection.connect(
            to: configuration.bootstrapServers[0], nodeID: -1, configuration: configuration, logger: ConnectionTestBroker.logger)
    }

    @Test func negotiatesAndSends() async throws {
        try await ConnectionTestBroker.run { port in
            let connection = try await connect(port)
            defer { connection.close() }
            #expect(try connection.versions.version(for: .metadata) == MetadataRequest.validVersions.upperBound)
            #expect(try connection.versions.version(for: .fetch) == FetchRequest.validVersions.upperBound)
            #expect(connection.versions.range(for: .produce)?.lowerBound == 3)
            #expect(!connection.versions.supports(.deleteRecords))
            #expect(throws: KafkaError.self) { try connection.versions.version(for: .deleteRecords) }
            let metadata = try await connection.send(MetadataRequest(topics: nil))
            #expect(metadata.brokers.map(\.port) == [Int32(port)])
        }
    }

    @Test func pipelinesManyRequestsInOrder() async throws {
        try await ConnectionTestBroker.run { port in
            let connection = try await connect(port)
            defer { connection.close() }
            let version = try connection.versions.version(for: .metadata)
            let pending = (0..<200).map { _ in connection.enqueue(MetadataRequest(topics: []), version: version) }
            for response in pending {
                #expect(try await response.get().brokers.count == 1)
            }
        }
    }

    @Test func requestsWithoutResponseKeepCorrelationInStep() async throws {
        try await ConnectionTestBroker.run { port in
            let connection = try await connect(port)
            defer { connection.close() }
            _ = try await connection.send(MetadataRequest(topics: [.init(name: "fire")], allowAutoTopicCreation: true))
            var builder = RecordBatchBuilder()
            builder.append(key: nil, value: ByteBuffer(string: "x"), timestamp: 1_700_000_000_000)
            let produce = ProduceRequest(acks: 0, timeoutMs: 1000, topicData: [
                .init(name: "fire", partitionData: [.init(index: 0, records: try builder.build())]),
            ])
            let version = try connection.versions.version(for: .produce)
            // The broker answers none of these; the next response must still match.
            for _ in 0..<3 { try await connection.sendWithoutResponse(produce, version: version) }
            let offsets = try await connection.send(ListOffsetsRequest(replicaId: -1, topics: [
                .init(name: "fire", partitions: [.init(partitionIndex: 0, timestamp: -1)]),
            ]))
            #expect(offsets.topics.first?.partitions.first?.offset == 3)
        }
    }

    @Test func aRequestMayWaitLongerThanTheRequestTimeout() async throws {
        try await ConnectionTestBroker.run { port in
            // The default (2 s) still leaves a loaded machine time for the version negotiation
            // and the Metadata request.
            let connection = try await connect(port) { $0.requestTimeout = .seconds(2) }
            defer { connection.close() }
            _ = try await connection.send(MetadataRequest(topics: [.init(name: "quiet")], allowAutoTopicCreation: true))
            // The broker holds a 3 s long poll at least 3 s (nothing arrives): longer than the
            // 2 s default, well within its own 60 s timeout.
            let fetch = FetchRequest(maxWaitMs: 3000, minBytes: 1, topics: [
                .init(topic: "quiet", partitions: [.init(partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20)]),
            ])
            let response = try await connection.send(fetch, version: 12, timeout: .seconds(60))
            #expect(response.errorCode == 0)
            #expect(!connection.isClosed)
        }
    }

    @Test func closeFailsLaterRequestsRetriably() async throws {
        try await ConnectionTestBroker.run { port in
            let connection = try await connect(port)
            connection.close()
            try await connection.channelClosed()
            #expect(connection.isClosed)
            let error = await #expect(throws: KafkaError.self) { try await connection.send(MetadataRequest(topics: [])) }
            #expect(error?.code == .connectionClosed)
            #expect(error?.isRetriable == true)
        }
    }

    @Test func gracefulCloseAnswersWhatWasSent() async throws {
        try await ConnectionTestBroker.run { port in
            let connection = try await connect(port)
            let version = try connection.versions.version(for: .metadata)
            let pending = (0..<10).map { _ in connection.enqueue(MetadataRequest(topics: []), version: version) }
            connection.closeGracefully()
            #expect(connection.isClosed)
            for response in pending { #expect(try await response.get().brokers.count == 1) }
            try await connection.channelClosed()
        }
    }

    @Test func refusesAnUnreachableBroker() async throws {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: 1)])
        configuration.connectTimeout = .seconds(2)
        let error = await #expect(throws: KafkaError.self) {
            _ = try await BrokerConnection.connect(
                to: configuration.bootstrapServers[0], nodeID: -1, configuration: configuration, logger: ConnectionTestBroker.logger)
        }
        #expect(error?.code == .connectionFailed)
        #expect(error?.isRetriable == true)
    }
}
