import NIOCore

/// Settings of a `KafkaConsumer`. Defaults follow the Java client's (the property name is
/// given for each), so a configuration ported from Java behaves the same.
public struct KafkaConsumerConfiguration: Sendable {
    /// What the consumer reads: fixed partitions, or whatever a consumer group assigns.
    public struct Consumption: Sendable, Hashable {
        enum Base: Sendable, Hashable {
            case partitions([TopicPartition])
            case group(id: String, topics: [String])
        }

        let base: Base

        /// Manual assignment (KafkaConsumer.assign in Java): no group, no rebalancing; each
        /// partition starts from the reset policy unless `seek` says otherwise.
        public static func partitions(_ partitions: [TopicPartition]) -> Consumption {
            Consumption(base: .partitions(partitions))
        }

        /// Join consumer group `id` subscribed to `topics`; partitions come from the group's
        /// assignment and start at the committed offsets.
        public static func group(id: String, topics: [String]) -> Consumption {
            Consumption(base: .group(id: id, topics: topics))
        }

        var groupID: String? {
            if case .group(let id, _) = base { return id }
            return nil
        }
    }

    /// Where to start a partition with no committed offset, or whose offset is out of range
    /// (auto.offset.reset, default latest).
    public struct OffsetReset: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable { case earliest, latest, none }
        let base: Base

        public static let earliest = OffsetReset(base: .earliest)
        public static let latest = OffsetReset(base: .latest)
        /// Fail with OFFSET_OUT_OF_RANGE instead of moving.
        public static let none = OffsetReset(base: .none)

        public var description: String { "\(base)" }

        var seekPosition: SeekPosition? {
            switch base {
            case .earliest: return .beginning
            case .latest: return .end
            case .none: return nil
            }
        }
    }

    /// How to reach the cluster.
    public var client: KafkaClientConfiguration
    public var consumption: Consumption

    /// Smallest amount of data a fetch answer should hold; the broker waits up to
    /// `fetchMaxWait` for it (fetch.min.bytes, 1).
    public var fetchMinBytes: Int32 = 1
    /// Longest a broker holds a fetch waiting for `fetchMinBytes` (fetch.max.wait.ms, 500 ms).
    public var fetchMaxWait: Duration = .milliseconds(500)
    /// Largest fetch answer asked for (fetch.max.bytes, 50 MiB).
    public var fetchMaxBytes: Int32 = 50 * 1024 * 1024
    /// Largest share of one partition in a fetch answer (max.partition.fetch.bytes, 1 MiB).
    public var maxPartitionFetchBytes: Int32 = 1024 * 1024
    /// Fetched bytes held in memory waiting for the application; fetching pauses above it
    /// (like librdkafka's queued.max.messages.kbytes, 64 MiB).
    public var maxBufferedBytes: Int = 64 * 1024 * 1024
    /// auto.offset.reset, default latest.
    public var autoOffsetReset: OffsetReset = .latest
    /// Verify every fetched batch's CRC32C (check.crcs, true).
    public var checkCRCs: Bool = true

    /// Commit consumed offsets in the background (enable.auto.commit, true). Group only.
    public var enableAutoCommit: Bool = true
    /// How often the background commit runs (auto.commit.interval.ms, 5 s).
    public var autoCommitInterval: Duration = .seconds(5)
    /// Commit the consumed offsets of partitions being revoked before they move to another
    /// member, so the new owner does not process them again. On by default; Java does this
    /// only with auto commit, but here it does not depend on it.
    public var commitOnRevoke: Bool = true
    /// The group drops a member it has not heard from for this long (session.timeout.ms, 45 s).
    public var sessionTimeout: Duration = .seconds(45)
    /// How often the member tells the coordinator it is alive (heartbeat.interval.ms, 3 s).
    public var heartbeatInterval: Duration = .seconds(3)
    /// How long the group waits for members to rejoin during a rebalance, which includes
    /// the application's revocation work (max.poll.interval.ms, 300 s, is the rebalance timeout).
    public var maxPollInterval: Duration = .seconds(300)
    /// Assignors offered to the group, in preference order (partition.assignment.strategy,
    /// default range then cooperative-sticky as in Java). The rebalance protocol is
    /// cooperative only when every strategy listed supports it.
    public var partitionAssignmentStrategy: [PartitionAssignmentStrategy] = [.range, .cooperativeSticky]
    /// Static membership (group.instance.id): a restarted member with the same id gets its
    /// partitions back without a rebalance. Nil: dynamic membership.
    public var groupInstanceID: String? = nil
    /// Opaque bytes this member puts in its group subscription (ConsumerProtocolSubscription
    /// userData, Java's subscriptionUserData), for the leader's assignor to read: e.g. the
    /// URL the instance serves at, so the leader can tell every member who owns what (see
    /// `PartitionAssignmentStrategy.attachingUserData`). Changed later with
    /// `KafkaConsumer.updateSubscriptionUserData`.
    public var subscriptionUserData: ByteBuffer? = nil

    public init(client: KafkaClientConfiguration, consumption: Consumption) {
        self.client = client
        self.consumption = consumption
    }

    /// Throws `.invalidConfiguration` for values the client cannot work with.
    func validate() throws {
        func fail(_ message: String) -> KafkaError { KafkaError(.invalidConfiguration, message) }
        guard fetchMinBytes >= 0, fetchMaxBytes > 0, maxPartitionFetchBytes > 0 else {
            throw fail("fetch sizes must be positive")
        }
        guard maxBufferedBytes > 0 else { throw fail("maxBufferedBytes must be positive") }
        switch consumption.base {
        case .partitions(let partitions):
            guard !partitions.isEmpty else { throw fail("no partitions to consume") }
        case .group(let id, let topics):
            guard !id.isEmpty else { throw fail("empty group id") }
            guard !topics.isEmpty else { throw fail("no topics to subscribe to") }
            guard !partitionAssignmentStrategy.isEmpty else { throw fail("no partition assignment strategy") }
            guard heartbeatInterval < sessionTimeout else {
                throw fail("heartbeatInterval must be shorter than sessionTimeout")
            }
        }
    }
}
