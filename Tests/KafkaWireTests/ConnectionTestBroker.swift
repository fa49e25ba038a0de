import TestSupport
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
        try await InProcessBroker.run(adjust, body)
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
