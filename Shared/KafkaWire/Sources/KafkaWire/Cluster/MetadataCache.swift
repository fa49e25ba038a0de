import KafkaProtocol

/// The metadata a cluster client remembers: brokers, controller, and topics whose partitions
/// all have leaders. Pure bookkeeping; `KafkaCluster` decides when to ask a broker.
struct MetadataCache: Sendable {
    private(set) var current: ClusterMetadata?
    private var fetchedAt: ContinuousClock.Instant?
    /// Whether the last all-topics answer is still what `topics` holds (no invalidation since).
    private var knowsAllTopics = false
    private var isInvalidated = false

    /// Forces the next lookup to miss; brokers stay known so connections can still be made.
    mutating func invalidate() {
        isInvalidated = true
    }

    /// The cached answer for `topics` (nil: all), or nil when a broker must be asked: never
    /// fetched, invalidated, older than `maxAge`, or a topic unknown or without leaders.
    func lookup(topics: [String]?, now: ContinuousClock.Instant, maxAge: Duration) -> ClusterMetadata? {
        guard var metadata = current, let fetchedAt, !isInvalidated, now - fetchedAt < maxAge else { return nil }
        guard let topics else { return knowsAllTopics ? metadata : nil }
        var selected: [String: TopicMetadata] = [:]
        for name in topics {
            guard let topic = metadata.topics[name] else { return nil }
            selected[name] = topic
        }
        metadata.topics = selected
        return metadata
    }

    /// Records a broker's answer to a request for `topics` (nil: all). Topics with errors or
    /// missing leaders are not kept, so the next lookup asks again.
    mutating func store(_ fetched: ClusterMetadata, requested topics: [String]?, at now: ContinuousClock.Instant) {
        var kept: [String: TopicMetadata] = [:]
        if let topics, !isInvalidated, let current {
            // A partial answer refreshes the topics asked for and keeps the rest.
            kept = current.topics
            for name in topics { kept[name] = nil }
        }
        kept.merge(fetched.topics.filter { $0.value.isComplete }) { _, new in new }
        knowsAllTopics = topics == nil || (knowsAllTopics && !isInvalidated)
        current = fetched
        current?.topics = kept
        fetchedAt = now
        isInvalidated = false
    }
}
