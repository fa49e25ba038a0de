/// Broker-side settings of the classic group protocol. Defaults are Apache Kafka's.
public struct GroupCoordinatorConfiguration: Sendable, Hashable {
    /// How long a new (Empty) group waits for more members before its first rebalance
    /// completes, extended by the same delay each time a member arrives, up to the rebalance
    /// timeout (group.initial.rebalance.delay.ms, 3 s). Tests set it small.
    public var initialRebalanceDelay: Duration = .milliseconds(3000)
    /// Accepted session timeouts (group.min.session.timeout.ms, group.max.session.timeout.ms);
    /// a JoinGroup outside them gets INVALID_SESSION_TIMEOUT.
    public var minSessionTimeout: Duration = .milliseconds(6000)
    public var maxSessionTimeout: Duration = .milliseconds(1_800_000)
    /// How long a member that joined during a rebalance may stay in it without being heard
    /// from again before it is dropped (Kafka's fixed 5 minutes, GroupCoordinator.NewMemberJoinTimeoutMs).
    public var newMemberJoinTimeout: Duration = .milliseconds(300_000)
    /// Longest metadata string an OffsetCommit may attach to an offset (offset.metadata.max.bytes).
    public var maxOffsetMetadataBytes: Int = 4096

    public init() {}

    public init(
        initialRebalanceDelay: Duration = .milliseconds(3000),
        minSessionTimeout: Duration = .milliseconds(6000),
        maxSessionTimeout: Duration = .milliseconds(1_800_000),
        newMemberJoinTimeout: Duration = .milliseconds(300_000),
        maxOffsetMetadataBytes: Int = 4096
    ) {
        self.initialRebalanceDelay = initialRebalanceDelay
        self.minSessionTimeout = minSessionTimeout
        self.maxSessionTimeout = maxSessionTimeout
        self.newMemberJoinTimeout = newMemberJoinTimeout
        self.maxOffsetMetadataBytes = maxOffsetMetadataBytes
    }

    /// The coordinator settings of a broker configuration.
    public init(settings: GroupSettings) {
        self.init(
            initialRebalanceDelay: .milliseconds(settings.initialRebalanceDelayMilliseconds),
            minSessionTimeout: .milliseconds(settings.minSessionTimeoutMilliseconds),
            maxSessionTimeout: .milliseconds(settings.maxSessionTimeoutMilliseconds))
    }
}
