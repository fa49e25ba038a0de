/// The one fold rule every reader uses (docs/architecture.md, "The log decides", rule 1).
///
/// Reading a partition in offset order, an event is *in effect* iff its order's key maps to
/// this partition and its `aggregate-version` is exactly one more than the order's version in
/// effect before it (a new order starts at 1). Every other event is *void*: ignored by every
/// reader. A record that would be in effect but cannot be read is `unreadable`: a reader that
/// keeps state must stop the partition there rather than fold past it.
public enum FoldVerdict: Hashable, Sendable {
    case inEffect(RecordedEvent)
    case void(VoidReason)
    case unreadable(EventDecodingError)
}

public enum VoidReason: Hashable, Sendable, CustomStringConvertible {
    /// No key, or a key that is not UTF-8: no order it could belong to.
    case noOrderKey
    /// The key maps to another partition (a writer with another partitioner).
    case wrongPartition(expected: Int32)
    /// Not the order's next version: a foreign writer (another instance, a zombie) got in first.
    case versionNotNext(expected: Int64, found: Int64)

    public var description: String {
        switch self {
        case .noOrderKey: "no order key"
        case .wrongPartition(let expected): "key belongs to partition \(expected)"
        case .versionNotNext(let expected, let found): "version \(found), expected \(expected)"
        }
    }

    /// A stable short name for metrics.
    public var kind: String {
        switch self {
        case .noOrderKey: "no-order-key"
        case .wrongPartition: "wrong-partition"
        case .versionNotNext: "version-not-next"
        }
    }
}

public enum FoldRule {
    /// The verdict on one record of `partition`.
    /// - Parameters:
    ///   - partitionOf: the partition the producers' partitioner (murmur2 of the key, modulo
    ///     the partition count) gives an order id.
    ///   - versionInEffect: the order's version in effect before this record (0 if none).
    public static func verdict(
        on record: some EventRecordBytes, partition: Int32,
        partitionOf: (String) -> Int32, versionInEffect: (String) -> Int64
    ) -> FoldVerdict {
        verdict(on: record, orderId: record.keyString, partition: partition, partitionOf: partitionOf, versionInEffect: versionInEffect)
    }

    /// The same, for a caller that has read the key already (`orderId`: the key as text, nil
    /// when null or not UTF-8).
    public static func verdict(
        on record: some EventRecordBytes, orderId: String?, partition: Int32,
        partitionOf: (String) -> Int32, versionInEffect: (String) -> Int64
    ) -> FoldVerdict {
        guard let orderId else { return .void(.noOrderKey) }
        let expectedPartition = partitionOf(orderId)
        guard expectedPartition == partition else { return .void(.wrongPartition(expected: expectedPartition)) }
        let headers = EnvelopeHeaders(record)
        let version: Int64
        do { version = try EventCodec.aggregateVersion(of: record, headers) } catch { return .unreadable(error) }
        let expected = versionInEffect(orderId) + 1
        guard version == expected else { return .void(.versionNotNext(expected: expected, found: version)) }
        do { return .inEffect(try EventCodec.decode(record, orderId: orderId, headers)) } catch { return .unreadable(error) }
    }
}

/// One partition folded in memory with `FoldRule`: the state of each of its orders.
/// Used by OrderCommand (its aggregates), by tests, and by any reader that holds orders in memory.
public struct PartitionFold: Sendable {
    public let partition: Int32
    private let partitionOf: @Sendable (String) -> Int32
    /// Keyed with their hashes kept (see `HashedString`).
    private var states: [HashedString: OrderState] = [:]
    public private(set) var inEffectCount = 0
    public private(set) var voidCount = 0

    public init(partition: Int32, partitionOf: @escaping @Sendable (String) -> Int32) {
        self.partition = partition
        self.partitionOf = partitionOf
    }

    public func state(of orderId: String) -> OrderState { states[HashedString(orderId)] ?? OrderState() }

    public var orderCount: Int { states.count }

    /// Every order's state (a copy: for tests and tools).
    public var orders: [String: OrderState] {
        Dictionary(uniqueKeysWithValues: states.map { ($0.key.string, $0.value) })
    }

    /// Folds one record; the state changes only for an event in effect.
    public mutating func fold(_ record: some EventRecordBytes) -> FoldVerdict {
        // The order is looked up once: the index found for its version is where it is evolved.
        var found: [HashedString: OrderState].Index?
        var key: HashedString?
        let verdict = FoldRule.verdict(
            on: record, partition: partition, partitionOf: partitionOf,
            versionInEffect: { orderId in
                key = HashedString(orderId)
                found = states.index(forKey: key!)
                // Read in place: the subscript's getter would copy the whole state to read one field.
                func version(_ state: inout OrderState) -> Int64 { state.version }
                return found.map { version(&states.values[$0]) } ?? 0
            })
        switch verdict {
        case .inEffect(let recorded):
            if let found {
                states.values[found].evolve(recorded.event)
            } else {
                states[key!, default: OrderState()].evolve(recorded.event)
            }
            inEffectCount += 1
        case .void:
            voidCount += 1
        case .unreadable:
            break
        }
        return verdict
    }
}
