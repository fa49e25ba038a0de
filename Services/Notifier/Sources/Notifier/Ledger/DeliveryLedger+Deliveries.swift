import SQLStore

extension DeliveryLedger {
    /// The deliveries still to make for these partitions and sinks, oldest first.
    public func pending(partitions: [Int32], sinks: [String]) async throws -> [PendingDelivery] {
        guard !partitions.isEmpty, !sinks.isEmpty else { return [] }
        let schema = self.schema
        return try await database.read { db in
            var select = Statement("""
                SELECT d.event_id, d.sink, d.kafka_partition, d.kafka_offset, d.order_id, d.version, d.round, d.attempts,
                e.notification, e.record_value, e.record_headers
                FROM \(schema.deliveries) d JOIN \(schema.events) e ON e.event_id = d.event_id
                WHERE d.status = 'pending' AND d.kafka_partition IN
                """)
            select.append("(" + partitions.map { select.bind(Int64($0)) }.joined(separator: ", ") + ")")
            select.append(" AND d.sink IN ")
            select.append(select.list(sinks))
            select.append(" ORDER BY d.kafka_partition, d.kafka_offset")
            return try await select.run(on: db).map { row in
                let orderId = try row.string(4)
                let body = try row.string(8)
                return PendingDelivery(
                    key: .init(eventId: try row.string(0), sink: try row.string(1)), partition: Int32(try row.int(2)),
                    offset: try row.int(3), orderId: orderId, version: try row.int(5), round: try row.int(6),
                    attempts: try row.int(7), notification: try NotificationJSON.decode(body), body: Array(body.utf8),
                    record: RecordJSON.record(key: orderId, value: try row.string(9), headers: try row.string(10)))
            }
        }
    }

    /// What became of one delivery attempt.
    public enum Outcome: Sendable {
        case delivered(attempts: Int64)
        /// Failed; it will be retried (the count survives a restart).
        case retrying(attempts: Int64, error: String)
        case deadLettered(attempts: Int64, error: String)

        var status: DeliveryStatus {
            switch self {
            case .delivered: .delivered
            case .retrying: .pending
            case .deadLettered: .deadLettered
            }
        }

        var attempts: Int64 {
            switch self {
            case .delivered(let attempts), .retrying(let attempts, _), .deadLettered(let attempts, _): attempts
            }
        }

        var error: String? {
            switch self {
            case .delivered: nil
            case .retrying(_, let error), .deadLettered(_, let error): error
            }
        }
    }

    /// Outcomes in one transaction. Each touches only the round its delivery belongs to: a
    /// resend asked for meanwhile starts afresh. Outcomes that write the same values (most
    /// often: delivered at the first attempt, to one sink) are one statement, by the primary
    /// key's `event_id IN (...)`: one round trip for a group instead of one per delivery.
    public func record(_ outcomes: [(PendingDelivery, Outcome)]) async throws {
        guard !outcomes.isEmpty else { return }
        let schema = self.schema
        let now = Self.now
        let groups = OutcomeGroup.grouping(outcomes)
        try await database.write { db in
            for group in groups {
                let values = group.values
                for eventIds in group.eventIds.chunked(1_000) {
                    var update = Statement("UPDATE \(schema.deliveries) SET ")
                    let status = update.bind(.text(values.status.rawValue))
                    let time = update.bind(.int(now))
                    update.append("status = \(status), attempts = \(update.bind(.int(values.attempts))), ")
                    update.append("last_error = \(update.bind(SQLValue(values.error))), updated_at_ms = \(time), ")
                    update.append("delivered_at_ms = CASE WHEN \(status) = 'delivered' THEN \(time) ELSE delivered_at_ms END ")
                    update.append("WHERE sink = \(update.bind(.text(values.sink))) AND round = \(update.bind(.int(values.round))) ")
                    update.append("AND status = 'pending' AND event_id IN \(update.list(eventIds))")
                    try await update.run(on: db)
                }
            }
        }
    }
}

/// Outcomes that write the same values to deliveries of the same sink and round.
struct OutcomeGroup {
    struct Values: Hashable {
        var sink: String
        var round: Int64
        var status: DeliveryStatus
        var attempts: Int64
        var error: String?
    }

    var values: Values
    var eventIds: [String]

    /// The statements to run, in order, with the effect of running the outcomes one by one:
    /// outcomes of different deliveries do not touch each other's row, so they may share a
    /// statement; a second outcome of the same delivery and round goes after everything before
    /// it (each applies only while the row is pending, so which comes first matters).
    static func grouping(_ outcomes: [(PendingDelivery, DeliveryLedger.Outcome)]) -> [OutcomeGroup] {
        var groups: [OutcomeGroup] = []
        var open: [Values: Int] = [:]
        var seen: Set<DeliveryQueues.RoundKey> = []
        for (delivery, outcome) in outcomes {
            let round = DeliveryQueues.RoundKey(key: delivery.key, round: delivery.round)
            if !seen.insert(round).inserted {
                open = [:]
                seen = [round]
            }
            let values = Values(
                sink: delivery.key.sink, round: delivery.round, status: outcome.status, attempts: outcome.attempts, error: outcome.error)
            if let at = open[values] {
                groups[at].eventIds.append(delivery.key.eventId)
            } else {
                open[values] = groups.count
                groups.append(OutcomeGroup(values: values, eventIds: [delivery.key.eventId]))
            }
        }
        return groups
    }
}
