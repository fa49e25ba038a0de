import Foundation
import KafkaBroker
import KafkaWire
import Logging
import Testing

/// The dev broker in-process on a free port, for tests over real TCP.
enum TestBroker {
    static let logger: Logger = {
        var logger = Logger(label: "order-command-test")
        logger.logLevel = .critical
        return logger
    }()

    static func run(_ body: (Int) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("order-command-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = BrokerConfiguration(dataDirectory: directory)
        configuration.port = 0
        configuration.groups.initialRebalanceDelayMilliseconds = 0
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

    static func withAdmin<T>(port: Int, _ body: (KafkaAdmin) async throws -> T) async throws -> T {
        let admin = KafkaAdmin(configuration: KafkaClientConfiguration(bootstrapServers: [BrokerAddress(host: "127.0.0.1", port: port)]), logger: logger)
        do {
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw error
        }
    }
}
