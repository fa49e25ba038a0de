import KafkaProtocol

/// The versions usable on one connection: for each API, the range both this library (the
/// generated definitions) and the broker (its ApiVersions answer) support. Requests go at the
/// highest, as Kafka's clients do.
public struct NegotiatedVersions: Sendable, Hashable {
    /// What the broker said it supports, by API.
    public let brokerRanges: [APIKey: ClosedRange<Int16>]
    private let usable: [APIKey: ClosedRange<Int16>]

    /// - Parameter clientRanges: the versions this side can speak; the generated definitions' by default.
    public init(
        brokerRanges: [APIKey: ClosedRange<Int16>],
        clientRanges: (APIKey) -> ClosedRange<Int16>? = { $0.definedVersions }
    ) {
        self.brokerRanges = brokerRanges
        var usable: [APIKey: ClosedRange<Int16>] = [:]
        for (key, broker) in brokerRanges {
            guard let ours = clientRanges(key) else { continue }
            let low = max(ours.lowerBound, broker.lowerBound)
            let high = min(ours.upperBound, broker.upperBound)
            if low <= high { usable[key] = low...high }
        }
        self.usable = usable
    }

    /// The highest version both sides support; throws `unsupportedVersion` when they share none.
    public func version(for key: APIKey) throws(KafkaError) -> Int16 {
        guard let range = usable[key] else {
            let broker = brokerRanges[key].map { "\($0.lowerBound)...\($0.upperBound)" } ?? "none"
            let ours = key.definedVersions.map { "\($0.lowerBound)...\($0.upperBound)" } ?? "none"
            throw KafkaError(.unsupportedVersion, "\(key.name): broker offers \(broker), client speaks \(ours)")
        }
        return range.upperBound
    }

    public func supports(_ key: APIKey) -> Bool { usable[key] != nil }

    /// Every version both sides support, for callers that need a particular feature level.
    public func range(for key: APIKey) -> ClosedRange<Int16>? { usable[key] }
}
