import Events
import Foundation

/// One record of `orders.events` as the notifier reads it.
public struct LoggedRecord: Sendable {
    public var partition: Int32
    public var offset: Int64
    /// The record's timestamp (ms): replays from a timestamp select by it.
    public var timestamp: Int64
    public var record: EventRecord

    public init(partition: Int32, offset: Int64, timestamp: Int64, record: EventRecord) {
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.record = record
    }
}

/// An event in effect that notifies: its row in the ledger.
public struct LedgerEvent: Sendable, Hashable {
    public var eventId: String
    public var orderId: String
    public var version: Int64
    public var partition: Int32
    public var offset: Int64
    public var timestamp: Int64
    public var notification: Notification
    /// The event as recorded: a delivery that fails for good dead-letters it.
    public var record: EventRecord
    /// Deliveries are made only from the partition's `deliverFrom` offset on (a deployment
    /// that starts at the end of the log still folds the history before it, silently).
    public var deliver: Bool
}

/// A record that cannot be read: it goes to the dead-letter topic at once.
public struct UnreadableRecord: Sendable {
    public var record: LoggedRecord
    public var error: EventDecodingError
}

/// One batch folded with the one fold rule over the ledger's order facts: a pure function,
/// tested without a database. Unlike the readers that keep state from the events, the
/// notifier does not stop at an unreadable event: it dead-letters it and moves on, and its
/// version still counts when the envelope gives one.
public struct NotificationFold: Sendable {
    public var facts: [String: NotificationRules.OrderFacts]
    /// The orders whose facts changed, with their partition.
    public private(set) var changedOrders: [String: Int32] = [:]
    public private(set) var events: [LedgerEvent] = []
    public private(set) var unreadable: [UnreadableRecord] = []
    public private(set) var voidEvents: [String: Int] = [:]
    public private(set) var inEffectCount = 0
    public private(set) var nextOffsets: [Int32: Int64] = [:]

    public init(facts: [String: NotificationRules.OrderFacts]) { self.facts = facts }

    public mutating func fold(
        _ records: [LoggedRecord], deliverFrom: [Int32: Int64], partitionOf: (String) -> Int32,
        render: (NotificationRules.Draft) -> (subject: String, text: String)
    ) {
        for logged in records {
            nextOffsets[logged.partition] = logged.offset + 1
            let verdict = FoldRule.verdict(
                on: logged.record, partition: logged.partition, partitionOf: partitionOf,
                versionInEffect: { facts[$0]?.version ?? 0 })
            switch verdict {
            case .void(let reason):
                voidEvents[reason.kind, default: 0] += 1
            case .unreadable(let error):
                unreadable.append(UnreadableRecord(record: logged, error: error))
                // The version counts when the envelope gives one (the verdict read it as next).
                if let orderId = logged.record.keyString, let version = try? EventCodec.aggregateVersion(of: logged.record) {
                    facts[orderId, default: .init()].version = version
                    changedOrders[orderId] = logged.partition
                }
            case .inEffect(let recorded):
                inEffectCount += 1
                let orderId = recorded.envelope.orderId
                let after = NotificationRules.facts.evolve(facts[orderId] ?? NotificationRules.facts.initialState, recorded)
                facts[orderId] = after
                changedOrders[orderId] = logged.partition
                for draft in NotificationRules.saga.react((recorded, after)) {
                    let (subject, text) = render(draft)
                    let notification = Notification(
                        eventId: recorded.envelope.eventId.uuidString.lowercased(), orderId: orderId, customerId: after.customerId,
                        kind: draft.kind, version: recorded.envelope.aggregateVersion,
                        position: "\(logged.partition):\(logged.offset)", occurredAt: recorded.envelope.occurredAt.rfc3339,
                        subject: subject, text: text)
                    events.append(LedgerEvent(
                        eventId: notification.eventId, orderId: orderId, version: notification.version,
                        partition: logged.partition, offset: logged.offset, timestamp: logged.timestamp,
                        notification: notification, record: logged.record, deliver: logged.offset >= (deliverFrom[logged.partition] ?? 0)))
                }
            }
        }
    }
}
