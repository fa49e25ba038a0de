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
