import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// The KIP-360 epoch bump against the dev broker: InitProducerId with the current id and
/// epoch, then every partition starts again at sequence 0 under the new epoch.
@Suite("Producer epoch bump", .timeLimit(.minutes(1)))
struct ProducerEpochBumpTests {
    @Test func bumpKeepsTheProducerIDAndRestartsSequences() async throws {
        try await ProducerTestSupport.withBroker { port in
            try await ProducerTestSupport.withProducer(ProducerTestSupport.configuration(port: port)) { producer in
                for i in 0..<3 { _ = try await producer.send(ProducerRecord(topic: "bump", value: "before-\(i)", partition: 0)) }
                // What a fatal sequence error does (ProduceErrorPolicy.bumpEpoch).
                producer.state.withLockedValue { $0.epochBumpRequested = true }
                producer.wakeup.signal()
                var handles: [DeliveryHandle] = []
                for i in 0..<3 { handles.append(try await producer.enqueue(ProducerRecord(topic: "bump", value: "after-\(i)", partition: 0))) }
                for (i, handle) in handles.enumerated() { #expect(try await handle.metadata().offset == Int64(3 + i)) }
            }
            let stored = try await ProducerTestSupport.fetchAll(port: port, topic: "bump", partition: 0)
            #expect(stored.map { $0.record.value?.string } == ["before-0", "before-1", "before-2", "after-0", "after-1", "after-2"])
            let before = stored[0].batch, after = stored[3].batch
            #expect(after.producerID == before.producerID)
            #expect(after.producerEpoch == before.producerEpoch + 1)
            #expect(stored[3...].map(\.batch.baseSequence).first == 0)
        }
    }
}
