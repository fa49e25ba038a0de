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
            configuration.linger = .seconds(20)  // only the shutdown's flush sends them in time
            let producer = try KafkaProducer(configuration: configuration, logger: ProducerTestSupport.logger)
            let group = ServiceGroup(
                configuration: .init(services: [producer], gracefulShutdownSignals: [], logger: ProducerTestSupport.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var handles: [DeliveryHandle] = []
                for i in 0..<100 {
                    handles.append(try await producer.enqueue(ProducerRecord(topic: "service", value: "v\(i)", partition: 0)))
                }
                let start = ContinuousClock.now
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                #expect(ContinuousClock.now - start < .seconds(15))
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
