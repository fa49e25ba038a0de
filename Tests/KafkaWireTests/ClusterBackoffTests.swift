@testable import KafkaWire
import Testing

/// Reconnect backoff and the metadata cache: pure bookkeeping, no socket.
@Suite("Cluster: backoff and metadata cache")
struct ClusterBackoffTests {
    @Test func backoffDoublesUpToTheMaximumAndResets() {
        var backoff = ReconnectBackoff(base: .milliseconds(50), max: .seconds(1))
        #expect(backoff.delay(afterFailures: 0) == .zero)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(50))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 5) == .milliseconds(800))
        #expect(backoff.delay(afterFailures: 6) == .seconds(1))
        #expect(backoff.delay(afterFailures: 60) == .seconds(1))
        let now = ContinuousClock.now
        backoff.failed(at: now, jitter: 1)
        backoff.failed(at: now, jitter: 1)
        #expect(backoff.wait(from: now) == .milliseconds(100))
        #expect(backoff.wait(from: now + .milliseconds(40)) == .milliseconds(60))
        #expect(backoff.wait(from: now + .seconds(1)) == .zero)
        backoff.succeeded()
        #expect(backoff.wait(from: now) == .zero)
        #expect(backoff.failures == 0)
    }

    @Test func jitterStaysWithinTwentyPercent() {
        var backoff = ReconnectBackoff(base: .milliseconds(100), max: .seconds(1))
        let now = ContinuousClock.now
        backoff.failed(at: now)
        let wait = backoff.wait(from: now)
        #expect(wait >= .milliseconds(80) && wait <= .milliseconds(120))
    }

    func topic(_ name: String, leaders: [Int32]) -> TopicMetadata {
        TopicMetadata(name: name, partitions: leaders.enumerated().map { PartitionMetadata(index: Int32($0.offset), leader: $0.element) })
    }

    @Test func cacheAnswersKnownTopicsUntilStaleOrInvalidated() {
        var cache = MetadataCache()
        let now = ContinuousClock.now
        #expect(cache.lookup(topics: ["a"], now: now, maxAge: .seconds(300)) == nil)
        cache.store(ClusterMetadata(controllerID: 1, brokers: [1: BrokerAddress(host: "h", port: 1)],
                                    topics: ["a": topic("a", leaders: [1, 1])]), requested: ["a"], at: now)
        #expect(cache.lookup(topics: ["a"], now: now, maxAge: .seconds(300))?.topics["a"]?.partitions.count == 2)
        #expect(cache.lookup(topics: ["a", "b"], now: now, maxAge: .seconds(300)) == nil)
        // Only an all-topics answer can answer an all-topics question.
        #expect(cache.lookup(topics: nil, now: now, maxAge: .seconds(300)) == nil)
        #expect(cache.lookup(topics: ["a"], now: now + .seconds(301), maxAge: .seconds(300)) == nil)
        cache.invalidate()
        #expect(cache.lookup(topics: ["a"], now: now, maxAge: .seconds(300)) == nil)
        #expect(cache.current?.brokers.count == 1)
    }

    @Test func cacheKeepsOnlyTopicsWithLeaders() {
        var cache = MetadataCache()
        let now = ContinuousClock.now
        var missing = TopicMetadata(name: "gone")
        missing.error = .unknownTopicOrPartition
        cache.store(ClusterMetadata(topics: [
            "ok": topic("ok", leaders: [1]), "electing": topic("electing", leaders: [1, -1]), "gone": missing,
        ]), requested: nil, at: now)
        #expect(cache.lookup(topics: ["ok"], now: now, maxAge: .seconds(300)) != nil)
        #expect(cache.lookup(topics: ["electing"], now: now, maxAge: .seconds(300)) == nil)
        #expect(cache.lookup(topics: ["gone"], now: now, maxAge: .seconds(300)) == nil)
        #expect(cache.lookup(topics: nil, now: now, maxAge: .seconds(300))?.topics.keys.sorted() == ["ok"])
    }

    @Test func partialAnswersMergeIntoTheCache() {
        var cache = MetadataCache()
        let now = ContinuousClock.now
        cache.store(ClusterMetadata(topics: ["a": topic("a", leaders: [1])]), requested: ["a"], at: now)
        cache.store(ClusterMetadata(topics: ["b": topic("b", leaders: [2])]), requested: ["b"], at: now)
        #expect(cache.lookup(topics: ["a", "b"], now: now, maxAge: .seconds(300))?.topics.count == 2)
        // After invalidation a partial answer starts afresh: "a" may have moved.
        cache.invalidate()
        cache.store(ClusterMetadata(topics: ["b": topic("b", leaders: [2])]), requested: ["b"], at: now)
        #expect(cache.lookup(topics: ["a"], now: now, maxAge: .seconds(300)) == nil)
        #expect(cache.lookup(topics: ["b"], now: now, maxAge: .seconds(300)) != nil)
    }
}
