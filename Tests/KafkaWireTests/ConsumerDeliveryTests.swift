import TestSupport
import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// The consumer core and the record iterator without I/O: what counts as consumed, what a
/// commit writes, what is dropped after a seek, and how the sequence ends.
@Suite("Consumer delivery")
struct ConsumerDeliveryTests {
    let partition = TopicPartition("t", 0)

    func record(_ offset: Int64) -> Record {
        Record(offset: offset, timestamp: 1000 + offset, key: nil, value: ByteBuffer(string: "v\(offset)"))
    }

    /// A core with `partition` assigned at `start`, and a fetched chunk of `offsets` queued.
    func core(start: Int64 = 0, offsets: [[Int64]]) -> ConsumerCore {
        let core = ConsumerCore(maxBufferedBytes: 1 << 20)
        core.withPositions { $0.assign([partition], from: .offset(start)) }
        let epoch = core.readPositions { $0.epoch(of: partition)! }
        let bytes = offsets.joined().count * 10
        #expect(core.fetched(partition, epoch: epoch, next: (offsets.last?.last ?? start - 1) + 1, bytes: bytes))
        core.deliver(
            FetchedChunk(partition: partition, epoch: epoch, batches: offsets.map { $0.map(record) }, byteCount: bytes),
            reserved: bytes)
        return core
    }

    @Test func deliversBatchesInOrderAndCommitsStopBeforeTheRecordInHand() async throws {
        let core = core(offsets: [[0, 1], [2, 3]])
        var iterator = KafkaConsumerMessages(core: core).makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.offset == 0)
        #expect(first?.value == ByteBuffer(string: "v0"))
        #expect(first?.topic == "t")
        let second = try await iterator.next()
        #expect(second?.offset == 1)
        // Record 1 is in hand: auto commit and commit on revoke stop before it, commit() not.
        #expect(core.offsetsToCommit(includeInHand: false) == [partition: 1])
        #expect(core.offsetsToCommit(includeInHand: true) == [partition: 2])
        #expect(try await iterator.next()?.offset == 2)
        #expect(try await iterator.next()?.offset == 3)
        core.markCommitted([partition: 4])
        #expect(core.offsetsToCommit(includeInHand: true).isEmpty)
    }

    @Test func revocationWaitsForTheRecordInHand() async throws {
        let core = core(offsets: [[0, 1]])
        var iterator = KafkaConsumerMessages(core: core).makeAsyncIterator()
        _ = try await iterator.next()
        let released = RebalanceLog()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await core.waitUntilReleased([self.partition])
                await released.append(RebalanceEvent(kind: .revoked, partitions: []))
            }
            // Once the revocation waits (not after a guessed time), it must stay waiting: the
            // application still holds record 0.
            try await waitUntil {
                if core.releaseWaiterCount == 1 { return true }
                return await !released.events.isEmpty  // released too early: fail below, not by timeout
            }
            #expect(await released.events.isEmpty)
            _ = try await iterator.next()  // done with record 0
            try await group.waitForAll()
        }
        #expect(await released.events.count == 1)
        // Nothing of other partitions is held.
        await core.waitUntilReleased([TopicPartition("other", 0)])
    }

    @Test func seekDropsWhatWasFetchedBefore() async throws {
        let core = core(offsets: [[0, 1, 2]])
        var iterator = KafkaConsumerMessages(core: core).makeAsyncIterator()
        #expect(try await iterator.next()?.offset == 0)
        core.withPositions { _ = $0.seek(partition, to: .offset(10)) }
        core.finish()
        // Offsets 1 and 2 belong to the old position: the sequence ends without them.
        #expect(try await iterator.next() == nil)
        #expect(core.readPositions { $0.partitions[partition]?.consumed } == 10)
    }

    @Test func staleAnswersReleaseTheirReservation() {
        let core = ConsumerCore(maxBufferedBytes: 100)
        core.withPositions { $0.assign([partition], from: .offset(0)) }
        let epoch = core.readPositions { $0.epoch(of: partition)! }
        #expect(core.fetched(partition, epoch: epoch, next: 5, bytes: 100))
        #expect(!core.hasRoom)
        core.withPositions { $0.unassign([partition]) }
        core.deliver(FetchedChunk(partition: partition, epoch: epoch, batches: [[record(0)]], byteCount: 100), reserved: 100)
        #expect(core.hasRoom)
        #expect(!core.fetched(partition, epoch: epoch, next: 6, bytes: 10))
    }

    @Test func anErrorEndsTheSequence() async throws {
        let core = ConsumerCore(maxBufferedBytes: 100)
        var iterator = KafkaConsumerMessages(core: core).makeAsyncIterator()
        core.finish(KafkaError(.protocolViolation, "bad batch"))
        await #expect(throws: KafkaError.self) { try await iterator.next() }
    }
}
