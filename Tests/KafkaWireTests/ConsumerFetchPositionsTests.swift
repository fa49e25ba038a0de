import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

@Suite("Consumer fetch positions and fetched records")
struct ConsumerFetchPositionsTests {
    let a = TopicPartition("t", 0)
    let b = TopicPartition("t", 1)

    func ready(_ positions: inout FetchPositions, _ partition: TopicPartition, at offset: Int64, leader: Int32 = 1) {
        positions.assign([partition], from: .offset(offset))
        positions.setLeader(partition, node: leader, leaderEpoch: 0)
    }

    @Test func fetchesOnlyKnownPositionsWithLeadersOncePerPartition() {
        var positions = FetchPositions()
        ready(&positions, a, at: 5)
        positions.assign([b], from: .committed)
        #expect(positions.withoutLeader == [b])
        #expect(positions.needingLookup.map(\.partition) == [b])
        let fetchable = positions.fetchableByLeader
        #expect(fetchable.keys.sorted() == [1])
        #expect(fetchable[1]!.map(\.offset) == [5])
        positions.fetchStarted(fetchable[1]!)
        #expect(positions.fetchableByLeader.isEmpty)
        let applied = positions.fetchCompleted(a, epoch: fetchable[1]![0].epoch, next: 9)
        #expect(applied)
        #expect(positions.fetchableByLeader[1]!.map(\.offset) == [9])
    }

    @Test func seekMakesEarlierFetchesStale() {
        var positions = FetchPositions()
        ready(&positions, a, at: 0)
        let old = positions.epoch(of: a)!
        positions.fetchStarted(positions.fetchableByLeader[1]!)
        let seeked = positions.seek(a, to: .offset(100))
        #expect(seeked)
        let staleApplied = positions.fetchCompleted(a, epoch: old, next: 50)
        #expect(!staleApplied)
        #expect(!positions.isCurrent(a, epoch: old))
        #expect(positions.fetchableByLeader[1]!.map(\.offset) == [100])
        let rewound = positions.seek(a, to: .beginning)
        #expect(rewound)
        #expect(positions.needingLookup.map(\.position) == [.resolve(.beginning)])
        let unassigned = positions.seek(b, to: .end)
        #expect(!unassigned)
    }

    @Test func pauseDropsBufferedRecordsAndRewindsToConsumed() {
        var positions = FetchPositions()
        ready(&positions, a, at: 0)
        let epoch = positions.epoch(of: a)!
        positions.fetchStarted(positions.fetchableByLeader[1]!)
        positions.fetchCompleted(a, epoch: epoch, next: 10)
        positions.delivered(a, epoch: epoch, offset: 3)
        positions.setPaused(a, true)
        #expect(!positions.isCurrent(a, epoch: epoch))
        #expect(positions.fetchableByLeader.isEmpty)
        positions.setPaused(a, false)
        #expect(positions.fetchableByLeader[1]!.map(\.offset) == [4])
    }

    @Test func commitsOnlyWhatChanged() {
        var positions = FetchPositions()
        ready(&positions, a, at: 0)
        ready(&positions, b, at: 0)
        positions.resolved(b, epoch: positions.epoch(of: b)!, offset: 7)
        positions.setCommitted(b, 7)
        positions.delivered(a, epoch: positions.epoch(of: a)!, offset: 4)
        #expect(positions.uncommitted() == [a: 5])
        positions.markCommitted([a: 5])
        #expect(positions.uncommitted().isEmpty)
        positions.delivered(b, epoch: positions.epoch(of: b)!, offset: 7)
        #expect(positions.uncommitted(only: [a]).isEmpty)
        #expect(positions.uncommitted(only: [b]) == [b: 8])
    }

    @Test func outOfRangeResetsOrPauses() {
        var positions = FetchPositions()
        ready(&positions, a, at: 50)
        positions.outOfRange(a, epoch: positions.epoch(of: a)!, reset: .beginning)
        #expect(positions.needingLookup.map(\.position) == [.resolve(.beginning)])
        ready(&positions, b, at: 50)
        positions.outOfRange(b, epoch: positions.epoch(of: b)!, reset: nil)
        #expect(positions.partitions[b]!.paused)
    }

    @Test func leaderLossAndUnassignment() {
        var positions = FetchPositions()
        ready(&positions, a, at: 0, leader: 3)
        positions.forgetLeader(a)
        #expect(positions.withoutLeader == [a])
        positions.setLeader(a, node: -1, leaderEpoch: 0)
        #expect(positions.withoutLeader == [a])
        positions.unassign([a])
        #expect(positions.assigned.isEmpty)
    }

    // MARK: Fetched record batches

    func batch(base: Int64, count: Int, compression: CompressionCodec = .none, control: Bool = false) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(baseOffset: base, compression: compression, isControl: control)
        for index in 0..<count {
            builder.append(
                key: ByteBuffer(string: "k\(index)"), value: ByteBuffer(string: "v\(base + Int64(index))"),
                headers: [RecordHeader(key: "h", value: ByteBuffer(string: "x"))], timestamp: 1_000 + Int64(index))
        }
        return try builder.build()
    }

    @Test(arguments: CompressionCodec.allCases)
    func skipsRecordsBelowTheFetchOffsetInsideABatch(codec: CompressionCodec) throws {
        var records = try batch(base: 10, count: 5, compression: codec)
        var second = try batch(base: 15, count: 2, compression: codec)
        records.writeBuffer(&second)
        let decoded = try FetchedRecordsDecoder.decode(records, fetchOffset: 12, verifyCRC: true)
        #expect(decoded.records.map(\.offset) == [12, 13, 14, 15, 16])
        #expect(decoded.records.first?.value == ByteBuffer(string: "v12"))
        #expect(decoded.records.first?.headers == [RecordHeader(key: "h", value: ByteBuffer(string: "x"))])
        #expect(decoded.nextOffset == 17)
    }

    @Test func skipsControlBatchesButMovesPastThem() throws {
        var records = try batch(base: 0, count: 2)
        var control = try batch(base: 2, count: 1, control: true)
        records.writeBuffer(&control)
        let decoded = try FetchedRecordsDecoder.decode(records, fetchOffset: 0, verifyCRC: true)
        #expect(decoded.records.map(\.offset) == [0, 1])
        #expect(decoded.nextOffset == 3)
    }

    @Test func leavesAPartialTrailingBatchForTheNextFetch() throws {
        var records = try batch(base: 0, count: 2)
        let second = try batch(base: 2, count: 3)
        records.writeBytes(second.readableBytesView.prefix(second.readableBytes - 5))
        let decoded = try FetchedRecordsDecoder.decode(records, fetchOffset: 0, verifyCRC: true)
        #expect(decoded.records.map(\.offset) == [0, 1])
        #expect(decoded.nextOffset == 2)
        let nothing = try FetchedRecordsDecoder.decode(records.getSlice(at: 0, length: 30)!, fetchOffset: 0, verifyCRC: true)
        #expect(nothing.records.isEmpty)
        #expect(nothing.nextOffset == nil)
    }

    @Test func readsLegacyMessageSets() throws {
        // Two magic 0 messages (offsets 5 and 6), as Kafka stored them before 0.10.
        var records = ByteBuffer()
        for (offset, value) in [(Int64(5), "old"), (6, "older")] {
            records.writeInteger(offset)
            records.writeInteger(Int32(4 + 1 + 1 + 4 + 4 + value.utf8.count))
            records.writeInteger(UInt32(0))  // CRC, not checked here
            records.writeInteger(Int8(0))  // magic
            records.writeInteger(Int8(0))  // attributes
            records.writeInteger(Int32(-1))  // null key
            records.writeInteger(Int32(value.utf8.count))
            records.writeString(value)
        }
        let decoded = try FetchedRecordsDecoder.decode(records, fetchOffset: 6, verifyCRC: false)
        #expect(decoded.records.map(\.offset) == [6])
        #expect(decoded.records.first?.value == ByteBuffer(string: "older"))
        #expect(decoded.records.first?.key == nil)
        #expect(decoded.nextOffset == 7)
    }

    @Test func corruptBatchesFail() throws {
        var records = try batch(base: 0, count: 2)
        records.setInteger(UInt8(0xff), at: records.writerIndex - 1)
        #expect(throws: (any Error).self) { try FetchedRecordsDecoder.decode(records, fetchOffset: 0, verifyCRC: true) }
    }
}
