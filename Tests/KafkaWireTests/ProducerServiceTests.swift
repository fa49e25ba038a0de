import KafkaProtocol
import KafkaWire
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// The producer as a ServiceLifecycle service: a graceful shutdown delivers what was accepted.
@Suite("Producer as a service", .timeLimit(.minutes(1)))
struct ProducerServiceTests {
    @Test func gracefulShutdownFlushesAcceptedRecords() async throws {
        try await ProducerTestSupport.withBroker { port in
            var configuration = ProducerTestSupport.configuration(port: port)
            // Longer than the suite's time limit: only the shutdown's flush can send them in time
            // (no upper bound on elapsed time for a loaded machine to overrun).
            configuration.linger = .seconds(3600)
            let producer = try KafkaProducer(configuration: configuration, logger: ProducerTestSupport.logger)
            let group = ServiceGroup(
                configuration: .init(services: [producer], gracefulShutdownSignals: [], logger: ProducerTestSupport.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var handles: [DeliveryHandle] = []
                for i in 0..<100 {
                    handles.append(try await producer.enqueue(ProducerRecord(topic: "service", value: "v\(i)", partition: 0)))
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                for (i, handle) in handles.enumerated() {
                    #expect(try await handle.metadata().offset == Int64(i))
                }
            }
            // After shutdown new records are refused.
            await #expect(throws: KafkaError.self) {
                _ = try await producer.enqueue(ProducerRecord(topic: "service", value: "late", partition: 0))
            }
        }
    }
}
