import Foundation
import KafkaBroker
import KafkaProtocol
@testable import KafkaWire
import Logging
import NIOPosix
import Testing

/// The dev broker in-process on a free port, for real-TCP client tests.
enum ConnectionTestBroker {
    static let logger: Logger = {
        var logger = Logger(label: "kafkawire.client-test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs a broker for the duration of `body`, which gets its port.
    static func run(
        _ adjust: (inout BrokerConfiguration) -> Void = { _ in },
        _ body: (Int) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafkawire-client-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = BrokerConfiguration(dataDirectory: directory)
        configuration.port = 0
        configuration.groups.initialRebalanceDelayMilliseconds = 0
        adjust(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try BrokerServer(configuration: configuration, logger: logger) { _, port in continuation.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }

    /// A cluster client for the broker on `port`, shut down after `body`. `metadataClock` is
    /// the time its metadata cache ages by (a `ManualClock` for tests of metadataMaxAge).
    static func withCluster<T>(
        port: Int, _ adjust: (inout KafkaClientConfiguration) -> Void = { _ in },
        metadataClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        _ body: (KafkaCluster) async throws -> T
    ) async throws -> T {
        var configuration = KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)])
        configuration.requestTimeout = .seconds(10)
        adjust(&configuration)
        let cluster = KafkaCluster(
            configuration: configuration, logger: logger, eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            metadataClock: metadataClock)
        do {
            let result = try await body(cluster)
            await cluster.shutdown()
            return result
        } catch {
            await cluster.shutdown()
            throw error
        }
    }
}
