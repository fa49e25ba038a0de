import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// High watermarks and "caught up" without I/O: the positions' arithmetic, and the core's
/// waiters as records are handed out.
@Suite("Consumer progress against the high watermark")
struct ConsumerProgressTests {
    let partition = TopicPartition("t", 0)

    func record(_ offset: Int64) -> Record {
        Record(offset: offset, timestamp: 1000 + offset, key: nil, value: ByteBuffer(string: "v\(offset)"))
    }

    func assigned(at offset: Int64) -> FetchPositions {
        var positions = FetchPositions()
        positions.assign([partition], from: .offset(offset))
        positions.setLeader(partition, node: 1, leaderEpoch: 0)
        return positions
    }

    @Test func anEmptyPartitionIsCaughtUpOnceItsFirstAnswerCame() {
        var positions = assigned(at: 0)
        #expect(!positions.isCaughtUp(partition))
        #expect(positions.lag(of: partition) == nil)
        let epoch = positions.epoch(of: partition)!
        positions.fetchCompleted(partition, epoch: epoch, next: nil, watermarks: .init(highWatermark: 0, logStartOffset: 0))
        #expect(positions.partitions[partition]?.watermarks == PartitionWatermarks(highWatermark: 0, logStartOffset: 0))
        #expect(positions.lag(of: partition) == 0)
        #expect(positions.isCaughtUp(partition))
    }

    @Test func recordsOnTheirWayAreNotReadYet() {
        var positions = assigned(at: 0)
        let epoch = positions.epoch(of: partition)!
        positions.fetchCompleted(partition, epoch: epoch, next: 3, watermarks: .init(highWatermark: 3), withRecords: true)
        // The fetch position is at the end, but the application has none of the records.
        #expect(positions.readUpTo(partition) == 0)
        #expect(positions.lag(of: partition) == 3)
        positions.delivered(partition, epoch: epoch, offset: 1)
        #expect(positions.lag(of: partition) == 1)
        positions.delivered(partition, epoch: epoch, offset: 2)
        // The last record is in hand: caught up, as Java's lag after poll returned it.
        #expect(positions.isCaughtUp(partition))
        positions.answerDelivered(partition, epoch: epoch)
        #expect(positions.isCaughtUp(partition))
    }

    @Test func offsetsWithoutRecordsCountOnceTheAnswerWasHandedOut() {
        // Offsets 0-1 are records, 2 a transaction marker: consumed stops at 2, the log at 3.
        var positions = assigned(at: 0)
        let epoch = positions.epoch(of: partition)!
        positions.fetchCompleted(partition, epoch: epoch, next: 3, watermarks: .init(highWatermark: 3), withRecords: true)
        positions.delivered(partition, epoch: epoch, offset: 1)
        #expect(positions.lag(of: partition) == 1)
        positions.answerDelivered(partition, epoch: epoch)
        #expect(positions.readUpTo(partition) == 3)
        #expect(positions.isCaughtUp(partition))
    }

    @Test func seekingForgetsAnswersInFlightButKeepsTheWatermarks() {
        var positions = assigned(at: 0)
        let old = positions.epoch(of: partition)!
        positions.fetchCompleted(partition, epoch: old, next: 5, watermarks: .init(highWatermark: 5), withRecords: true)
        positions.seek(partition, to: .offset(5))
        #expect(positions.isCaughtUp(partition))
        // The stale answer's hand-over changes nothing.
        positions.answerDelivered(partition, epoch: old)
        #expect(positions.partitions[partition]?.undelivered == 0)
        positions.seek(partition, to: .beginning)
        #expect(positions.lag(of: partition) == nil)
        #expect(positions.partitions[partition]?.watermarks?.highWatermark == 5)
    }

    @Test func waitersWakeWhenTheLastRecordIsHandedOut() async throws {
        let core = ConsumerCore(maxBufferedBytes: 1 << 20)
        core.withPositions { $0.assign([partition], from: .offset(0)) }
        let epoch = core.readPositions { $0.epoch(of: partition)! }
        let caughtUp = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await core.waitUntil { $0.isCaughtUp(self.partition) ? .success(()) : nil }
                await caughtUp.set()
            }
            #expect(core.fetched(partition, epoch: epoch, next: 2, watermarks: .init(highWatermark: 2), bytes: 20))
            core.deliver(FetchedChunk(partition: partition, epoch: epoch, batches: [[record(0), record(1)]], byteCount: 20), reserved: 20)
            var iterator = KafkaConsumerMessages(core: core).makeAsyncIterator()
            #expect(try await iterator.next()?.offset == 0)
            #expect(await !caughtUp.isSet)
            #expect(try await iterator.next()?.offset == 1)
            try await group.waitForAll()
        }
        #expect(await caughtUp.isSet)
    }

    @Test func waitersEndWithTheirConditionsErrorTheConsumerOrTheirTask() async throws {
        let core = ConsumerCore(maxBufferedBytes: 1 << 20)
        core.withPositions { $0.assign([partition], from: .offset(0)) }
        let notAssigned: PositionWatchers.Condition = { positions in
            positions.partitions[TopicPartition("t", 0)] == nil ? .failure(KafkaError(.notAssigned, "gone")) : nil
        }
        try await withThrowingTaskGroup(of: KafkaError.Code?.self) { group in
            group.addTask {
                do { try await core.waitUntil(notAssigned) } catch let error as KafkaError { return error.code }
                return nil
            }
            group.addTask {
                do { try await core.waitUntil { _ in nil } } catch let error as KafkaError { return error.code }
                return nil
            }
            let cancelled = Task { () -> KafkaError.Code? in
                do { try await core.waitUntil { _ in nil } } catch let error as KafkaError { return error.code }
                return nil
            }
            cancelled.cancel()
            let cancelledCode = try await cancelled.value
            #expect(cancelledCode == .cancelled)
            // A revocation ends the first waiter, stopping the consumer the second.
            core.withPositions { $0.unassign([partition]) }
            let first = try await group.next()
            #expect(first == .notAssigned)
            core.finish()
            let second = try await group.next()
            #expect(second == .closed)
        }
        await #expect(throws: KafkaError.self) { try await core.waitUntil { _ in nil } }
    }
}

/// A one-way flag shared between tasks.
actor Flag {
    private(set) var isSet = false
    func set() { isSet = true }
}
