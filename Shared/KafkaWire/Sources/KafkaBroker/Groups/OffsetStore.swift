import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Committed consumer-group offsets: (group, topic, partition) -> (offset, leader epoch,
/// metadata, commit timestamp), kept in memory and in an append-only log under the broker's
/// data directory (`<dataDir>/__consumer_offsets/offsets.log`, format in `OffsetLogFormat`).
///
/// - A commit returns only once its frame is written and fdatasync'ed, so an acknowledged
///   OffsetCommit survives kill -9 of the broker.
/// - On open the log is replayed; a frame torn by a crash is cut off.
/// - When the log holds more than twice as many entries as there are live offsets (and at least
///   `compactionThreshold`), it is rewritten with the live offsets only (temp file + rename).
///
/// Unlike Kafka, only offsets are persisted, not group membership: after a restart every group
/// is Empty, members get UNKNOWN_MEMBER_ID on their next heartbeat and rejoin, which clients
/// handle as they do a coordinator failover. Offsets are kept until deleted (no
/// offsets.retention.minutes expiry).
///
/// Reads never wait for disk: writes run on NIOThreadPool under a write lock, and the
/// in-memory table has its own lock, updated after each write is durable.
public final class OffsetStore: Sendable {
    public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var topic: String
        public var partition: Int32

        public init(topic: String, partition: Int32) {
            self.topic = topic
            self.partition = partition
        }

        public static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
        }

        public var description: String { "\(topic)-\(partition)" }
    }

    public struct CommittedOffset: Hashable, Sendable {
        public var offset: Int64
        /// -1 when the client did not say.
        public var leaderEpoch: Int32
        public var metadata: String
        /// Milliseconds since the epoch, when the commit was made.
        public var commitTimestamp: Int64

        public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64) {
            self.offset = offset
            self.leaderEpoch = leaderEpoch
            self.metadata = metadata
            self.commitTimestamp = commitTimestamp
        }
    }

    /// Log entries before a compaction is considered.
    public let compactionThreshold: Int
    private let offsets: NIOLockedValueBox<[String: [TopicPartition: CommittedOffset]]>
    /// The log, nil for an in-memory store or once closed. Held for the whole of a write.
    private let writer: NIOLockedValueBox<WriterBox>
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// `OffsetLogWriter` is not Sendable; it is only touched under `writer`'s lock.
    private struct WriterBox: @unchecked Sendable {
        var log: OffsetLogWriter?
        var isClosed = false
    }

    /// Opens the store persisted in `directory` (created if missing), replaying its log.
    /// Blocks while reading; meant for broker start-up.
    public init(
        directory: String, compactionThreshold: Int = 10_000,
        threadPool: NIOThreadPool = .singleton, logger: Logger
    ) throws {
        let (log, entries) = try OffsetLogWriter.open(directory: directory) { valid, total in
            logger.warning("Truncating torn tail of the offset log", metadata: [
                "kafka.offsets.path": "\(directory)/\(OffsetLogWriter.fileName)",
                "kafka.offsets.valid_bytes": "\(valid)", "kafka.offsets.file_bytes": "\(total)",
            ])
        }
        var table: [String: [TopicPartition: CommittedOffset]] = [:]
        Self.apply(entries, to: &table)
        self.offsets = NIOLockedValueBox(table)
        self.writer = NIOLockedValueBox(WriterBox(log: log))
        self.compactionThreshold = compactionThreshold
        self.threadPool = threadPool
        self.logger = logger
        logger.debug("Loaded committed offsets", metadata: [
            "kafka.offsets.groups": "\(table.count)", "kafka.offsets.log_entries": "\(entries.count)",
        ])
    }

    /// A store that keeps nothing on disk (tests, throwaway brokers).
    public init(inMemoryWithLogger logger: Logger) {
        self.offsets = NIOLockedValueBox([:])
        self.writer = NIOLockedValueBox(WriterBox(log: nil))
        self.compactionThreshold = .max
        self.threadPool = .singleton
        self.logger = logger
    }

    // MARK: Reading

    public func offset(group: String, topic: String, partition: Int32) -> CommittedOffset? {
        offsets.withLockedValue { $0[group]?[TopicPartition(topic: topic, partition: partition)] }
    }

    /// Every committed offset of `group`.
    public func offsets(group: String) -> [TopicPartition: CommittedOffset] {
        offsets.withLockedValue { $0[group] ?? [:] }
    }

    public func hasOffsets(group: String) -> Bool {
        offsets.withLockedValue { !($0[group]?.isEmpty ?? true) }
    }

    /// Groups with at least one committed offset, sorted.
    public var groupIDs: [String] {
        offsets.withLockedValue { $0.keys.sorted() }
    }

    // MARK: Writing

    /// Stores `offsets` for `group` durably (all or nothing) and then makes them visible.
    public func commit(group: String, offsets: [TopicPartition: CommittedOffset]) async throws {
        guard !offsets.isEmpty else { return }
        let entries = offsets.sorted { $0.key < $1.key }.map { OffsetLogEntry.commit(group: group, partition: $0.key, offset: $0.value) }
        try await write(entries)
    }

    /// Forgets the offsets of `partitions` in `group`, or all of the group's offsets when nil
    /// (OffsetDelete, DeleteGroups).
    public func delete(group: String, partitions: [TopicPartition]? = nil) async throws {
        let entries: [OffsetLogEntry] = partitions.map { $0.map { .deletePartition(group: group, partition: $0) } } ?? [.deleteGroup(group: group)]
        guard !entries.isEmpty else { return }
        try await write(entries)
    }

    /// Closes the log; later writes fail with `OffsetStoreError.closed`.
    public func close() {
        writer.withLockedValue { box in
            box.log?.close()
            box.log = nil
            box.isClosed = true
        }
    }

    private func write(_ entries: [OffsetLogEntry]) async throws {
        let isPersistent = writer.withLockedValue { $0.log != nil || $0.isClosed }
        guard isPersistent else {
            offsets.withLockedValue { Self.apply(entries, to: &$0) }
            return
        }
        try await threadPool.runIfActive { [self] in try self.writeBlocking(entries) }
    }

    /// Appends, syncs, applies to memory, and compacts when due; all under the write lock, so
    /// the table changes in the same order as the log.
    private func writeBlocking(_ entries: [OffsetLogEntry]) throws {
        try writer.withLockedValue { box in
            guard let log = box.log else { throw OffsetStoreError.closed }
            try log.append(entries)
            let live = offsets.withLockedValue { table in
                Self.apply(entries, to: &table)
                return table.values.reduce(0) { $0 + $1.count }
            }
            if log.entryCount >= compactionThreshold && log.entryCount > 2 * live {
                compact(log)
            }
        }
    }

    private func compact(_ log: OffsetLogWriter) {
        let snapshot = offsets.withLockedValue { table in
            table.keys.sorted().flatMap { group in
                table[group]!.sorted { $0.key < $1.key }.map { OffsetLogEntry.commit(group: group, partition: $0.key, offset: $0.value) }
            }
        }
        let before = log.entryCount
        do {
            try log.rewrite(snapshot)
            logger.debug("Compacted the offset log", metadata: [
                "kafka.offsets.entries_before": "\(before)", "kafka.offsets.entries_after": "\(snapshot.count)",
            ])
        } catch {
            // The old log is intact (the rename is the commit point); try again next time.
            logger.warning("Compacting the offset log failed", metadata: ["error": "\(error)"])
        }
    }

    static func apply(_ entries: [OffsetLogEntry], to table: inout [String: [TopicPartition: CommittedOffset]]) {
        for entry in entries {
            switch entry {
            case .commit(let group, let partition, let offset):
                table[group, default: [:]][partition] = offset
            case .deletePartition(let group, let partition):
                table[group]?[partition] = nil
                if table[group]?.isEmpty == true { table[group] = nil }
            case .deleteGroup(let group):
                table[group] = nil
            }
        }
    }
}

/// A failure of the offset store beyond the file system's own (`StorageError`).
public struct OffsetStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private let code: String
    private init(_ code: String) { self.code = code }

    /// The store was closed (the broker is shutting down).
    public static let closed = OffsetStoreError("closed")

    public var description: String { "offset store \(code)" }
}
