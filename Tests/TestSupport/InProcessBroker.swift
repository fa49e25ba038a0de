import Foundation
import KafkaBroker
import Logging

/// The dev broker in-process on a free port and a fresh data directory, for tests of clients
/// and services over real TCP.
public enum InProcessBroker {
    public static let logger: Logger = {
        var logger = Logger(label: "kafkawire.test-broker")
        logger.logLevel = .critical
        return logger
    }()

    public struct NoPort: Error {
        public init() {}
    }

    /// Runs a broker for the duration of `body`, which gets its port.
    public static func run(
        _ adjust: (inout BrokerConfiguration) -> Void = { _ in },
        _ body: (Int) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kafkawire-test-\(UUID().uuidString)").path
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
            guard let port = await iterator.next() else { throw NoPort() }
            try await body(port)
            group.cancelAll()
        }
    }
}
