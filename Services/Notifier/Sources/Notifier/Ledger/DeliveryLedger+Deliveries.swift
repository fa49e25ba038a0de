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
                return PendingDelivery(
                    key: .init(eventId: try row.string(0), sink: try row.string(1)), partition: Int32(try row.int(2)),
                    offset: try row.int(3), orderId: orderId, version: try row.int(5), round: try row.int(6),
                    attempts: try row.int(7), notification: try NotificationJSON.decode(try row.string(8)),
                    record: RecordJSON.record(key: orderId, value: try row.string(9), headers: try row.string(10)))
            }
        }
    }

    /// A failed attempt that will be retried: the count survives a restart.
    public func recordAttempt(_ delivery: PendingDelivery, attempts: Int64, error: String) async throws {
        try await finish(delivery, status: .pending, attempts: attempts, error: error)
    }

    public func markDelivered(_ delivery: PendingDelivery, attempts: Int64) async throws {
        try await finish(delivery, status: .delivered, attempts: attempts, error: nil)
    }

    public func markDeadLettered(_ delivery: PendingDelivery, attempts: Int64, error: String) async throws {
        try await finish(delivery, status: .deadLettered, attempts: attempts, error: error)
    }

    /// Only the round this delivery belongs to: a resend asked for meanwhile starts afresh.
    private func finish(_ delivery: PendingDelivery, status: DeliveryStatus, attempts: Int64, error: String?) async throws {
        let schema = self.schema
        let now = Self.now
        try await database.write { db in
            try await db.query("""
                UPDATE \(schema.deliveries) SET status = $1, attempts = $2, last_error = $3, updated_at_ms = $4,
                delivered_at_ms = CASE WHEN $1 = 'delivered' THEN $4 ELSE delivered_at_ms END
                WHERE event_id = $5 AND sink = $6 AND round = $7 AND status = 'pending'
                """, [.text(status.rawValue), .int(attempts), SQLValue(error), .int(now),
                      .text(delivery.key.eventId), .text(delivery.key.sink), .int(delivery.round)])
        }
    }
}
