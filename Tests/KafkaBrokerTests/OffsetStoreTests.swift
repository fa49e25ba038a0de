@testable import KafkaBroker
import Logging
import NIOCore
import Testing

@Suite("Offset store")
struct OffsetStoreTests {
    typealias TP = OffsetStore.TopicPartition
    typealias Offset = OffsetStore.CommittedOffset

    func logPath(_ dir: TemporaryDirectory) -> String { dir.path + "/__consumer_offsets/" + OffsetLogWriter.fileName }

    @Test func persistsAcrossReopen() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try OffsetStore(directory: dir.path + "/__consumer_offsets", logger: .test)
        try await store.commit(group: "g1", offsets: [
            TP(topic: "orders", partition: 0): Offset(offset: 10, leaderEpoch: 3, metadata: "m", commitTimestamp: 1000),
            TP(topic: "orders", partition: 1): Offset(offset: 20, commitTimestamp: 1001),
        ])
        try await store.commit(group: "g2", offsets: [TP(topic: "orders", partition: 0): Offset(offset: 5, commitTimestamp: 1002)])
        try await store.commit(group: "g1", offsets: [TP(topic: "orders", partition: 0): Offset(offset: 11, commitTimestamp: 1003)])
        #expect(store.offset(group: "g1", topic: "orders", partition: 0)?.offset == 11)
        store.close()

        let reopened = try OffsetStore(directory: dir.path + "/__consumer_offsets", logger: .test)
        #expect(reopened.groupIDs == ["g1", "g2"])
        #expect(reopened.offsets(group: "g1") == [
            TP(topic: "orders", partition: 0): Offset(offset: 11, commitTimestamp: 1003),
            TP(topic: "orders", partition: 1): Offset(offset: 20, commitTimestamp: 1001),
        ])
        #expect(reopened.offset(group: "g2", topic: "orders", partition: 0) == Offset(offset: 5, commitTimestamp: 1002))

        try await reopened.delete(group: "g1", partitions: [TP(topic: "orders", partition: 1)])
        try await reopened.delete(group: "g2")
        reopened.close()
        let again = try OffsetStore(directory: dir.path + "/__consumer_offsets", logger: .test)
        #expect(again.groupIDs == ["g1"])
        #expect(again.offsets(group: "g1").keys.sorted() == [TP(topic: "orders", partition: 0)])
        again.close()
    }

    /// A crash without close (kill -9): whatever was acknowledged is in the file.
    @Test func acknowledgedCommitsSurviveWithoutClose() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try OffsetStore(directory: dir.path + "/offsets", logger: .test)
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 42, commitTimestamp: 1)])
        let second = try OffsetStore(directory: dir.path + "/offsets", logger: .test)
        #expect(second.offset(group: "g", topic: "t", partition: 0)?.offset == 42)
        store.close()
        second.close()
    }

    @Test func tornTailIsTruncated() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let directory = dir.path + "/__consumer_offsets"
        let store = try OffsetStore(directory: directory, logger: .test)
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 1, commitTimestamp: 1)])
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 2, commitTimestamp: 2)])
        store.close()

        // Cut the last frame in half, as a crash in the middle of a write would.
        let file = try File(path: logPath(dir), create: false)
        let size = try file.size()
        let frame = size / 2
        try file.truncate(to: size - frame / 2)
        file.close()

        let reopened = try OffsetStore(directory: directory, logger: .test)
        #expect(reopened.offset(group: "g", topic: "t", partition: 0)?.offset == 1)
        let check = try File(path: logPath(dir), create: false)
        #expect(try check.size() == frame)
        check.close()
        // Appends continue after the last good frame.
        try await reopened.commit(group: "g", offsets: [TP(topic: "t", partition: 1): Offset(offset: 3, commitTimestamp: 3)])
        reopened.close()
        let again = try OffsetStore(directory: directory, logger: .test)
        #expect(again.offsets(group: "g").mapValues(\.offset) == [TP(topic: "t", partition: 0): 1, TP(topic: "t", partition: 1): 3])
        again.close()
    }

    @Test func corruptFrameAndGarbageAreDropped() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let directory = dir.path + "/__consumer_offsets"
        let store = try OffsetStore(directory: directory, logger: .test)
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 1, commitTimestamp: 1)])
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 2, commitTimestamp: 2)])
        store.close()

        // Flip the last byte of the second frame (its CRC no longer matches), then add noise.
        let file = try File(path: logPath(dir), create: false)
        let size = try file.size()
        var last = try file.read(at: size - 1, length: 1)
        let byte = last.readInteger(as: UInt8.self)!
        try file.write(ByteBuffer(bytes: [byte ^ 0xff]), at: size - 1)
        try file.write(ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), at: size)
        file.close()

        let reopened = try OffsetStore(directory: directory, logger: .test)
        #expect(reopened.offset(group: "g", topic: "t", partition: 0)?.offset == 1)
        let check = try File(path: logPath(dir), create: false)
        #expect(try check.size() == size / 2)
        check.close()
        reopened.close()
    }

    @Test func compactionKeepsOnlyLiveOffsets() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let directory = dir.path + "/__consumer_offsets"
        let store = try OffsetStore(directory: directory, compactionThreshold: 10, logger: .test)
        for i in 0..<100 {
            try await store.commit(group: "g", offsets: [
                TP(topic: "t", partition: 0): Offset(offset: Int64(i), commitTimestamp: Int64(i)),
                TP(topic: "t", partition: 1): Offset(offset: Int64(i * 2), commitTimestamp: Int64(i)),
            ])
        }
        try await store.commit(group: "other", offsets: [TP(topic: "t", partition: 0): Offset(offset: 7, commitTimestamp: 7)])
        store.close()

        // 201 entries written; the log holds far fewer.
        let file = try File(path: logPath(dir), create: false)
        let (entries, valid) = OffsetLogFormat.decodeFrames(try file.read(at: 0, length: Int(try file.size())))
        #expect(Int64(valid) == (try file.size()))
        #expect(entries.count <= 20)
        file.close()
        #expect(!Directory.exists(logPath(dir) + ".tmp"))

        let reopened = try OffsetStore(directory: directory, compactionThreshold: 10, logger: .test)
        #expect(reopened.offsets(group: "g").mapValues(\.offset) == [TP(topic: "t", partition: 0): 99, TP(topic: "t", partition: 1): 198])
        #expect(reopened.offset(group: "other", topic: "t", partition: 0)?.offset == 7)
        reopened.close()
    }

    @Test func leftoverCompactionFileIsRemoved() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let directory = dir.path + "/__consumer_offsets"
        let store = try OffsetStore(directory: directory, logger: .test)
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 1, commitTimestamp: 1)])
        store.close()
        let leftover = try File(path: logPath(dir) + ".tmp", create: true)
        try leftover.write(ByteBuffer(string: "half a compaction"), at: 0)
        leftover.close()

        let reopened = try OffsetStore(directory: directory, logger: .test)
        #expect(!Directory.exists(logPath(dir) + ".tmp"))
        #expect(reopened.offset(group: "g", topic: "t", partition: 0)?.offset == 1)
        reopened.close()
    }

    @Test func closedStoreRefusesWrites() async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try OffsetStore(directory: dir.path + "/o", logger: .test)
        store.close()
        await #expect(throws: OffsetStoreError.closed) {
            try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 1, commitTimestamp: 1)])
        }
    }

    @Test func inMemoryStore() async throws {
        let store = OffsetStore(inMemoryWithLogger: .test)
        try await store.commit(group: "g", offsets: [TP(topic: "t", partition: 0): Offset(offset: 9, commitTimestamp: 1)])
        #expect(store.offset(group: "g", topic: "t", partition: 0)?.offset == 9)
        #expect(store.hasOffsets(group: "g") && !store.hasOffsets(group: "h"))
    }
}
