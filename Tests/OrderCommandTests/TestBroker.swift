import TestSupport
import KafkaWire
import Logging
import Testing

/// The dev broker in-process on a free port, for tests over real TCP.
enum TestBroker {
    static let logger = InProcessBroker.logger

    static func run(_ body: (Int) async throws -> Void) async throws {
        try await InProcessBroker.run({ _ in }, body)
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
