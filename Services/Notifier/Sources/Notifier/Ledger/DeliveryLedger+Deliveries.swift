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
    /// resend asked for meanwhile starts afresh.
    public func record(_ outcomes: [(PendingDelivery, Outcome)]) async throws {
        guard !outcomes.isEmpty else { return }
        let schema = self.schema
        let now = Self.now
        try await database.write { db in
            for (delivery, outcome) in outcomes {
                try await db.query("""
                    UPDATE \(schema.deliveries) SET status = $1, attempts = $2, last_error = $3, updated_at_ms = $4,
                    delivered_at_ms = CASE WHEN $1 = 'delivered' THEN $4 ELSE delivered_at_ms END
                    WHERE event_id = $5 AND sink = $6 AND round = $7 AND status = 'pending'
                    """, [.text(outcome.status.rawValue), .int(outcome.attempts), SQLValue(outcome.error), .int(now),
                          .text(delivery.key.eventId), .text(delivery.key.sink), .int(delivery.round)])
            }
        }
    }
}
