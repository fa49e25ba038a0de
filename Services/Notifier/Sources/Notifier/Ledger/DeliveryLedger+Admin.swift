import SQLStore

/// Which events a replay goes over.
public enum ReplaySelection: Sendable, Equatable {
    /// Per partition, the events from that offset on.
    case offsets([Int32: Int64])
    /// Every partition's events whose record timestamp is at or after this (ms since the epoch).
    case fromTimestamp(Int64)
}

extension DeliveryLedger {
    /// A replay over the ledger's events in effect: for each of them and each sink, a delivery
    /// is made if none was ever made (a sink added since, or events before the deployment's
    /// starting point); with `resend`, delivered and dead-lettered ones are made again (a new
    /// round). Events not folded yet need nothing: the fold will get to them. Returns the
    /// number of deliveries queued.
    public func replay(_ selection: ReplaySelection, resend: Bool, sinks: [String]) async throws -> Int {
        guard !sinks.isEmpty else { return 0 }
        let schema = self.schema
        let now = Self.now
        let queued = try await database.write { db in
            var insert = Statement("""
                INSERT INTO \(schema.deliveries) AS d (event_id, sink, kafka_partition, kafka_offset, order_id, version, status,
                round, attempts, updated_at_ms)
                SELECT e.event_id, s.sink, e.kafka_partition, e.kafka_offset, e.order_id, e.version, 'pending', 0, 0,
                """)
            insert.append(insert.bind(now))
            insert.append(" FROM \(schema.events) e CROSS JOIN (")
            insert.append(sinks.map { "SELECT CAST(\(insert.bind($0)) AS TEXT) AS sink" }.joined(separator: " UNION ALL "))
            insert.append(") s WHERE ")
            switch selection {
            case .offsets(let offsets):
                insert.append("(" + offsets.sorted { $0.key < $1.key }.map { partition, offset in
                    "(e.kafka_partition = \(insert.bind(Int64(partition))) AND e.kafka_offset >= \(insert.bind(offset)))"
                }.joined(separator: " OR ") + ")")
            case .fromTimestamp(let timestamp):
                insert.append("e.record_timestamp >= \(insert.bind(timestamp))")
            }
            insert.append(" ON CONFLICT (event_id, sink) DO ")
            if resend {
                insert.append("""
                    UPDATE SET status = 'pending', round = d.round + 1, attempts = 0, last_error = NULL,
                    updated_at_ms = excluded.updated_at_ms, delivered_at_ms = NULL WHERE d.status <> 'pending'
                    """)
            } else {
                insert.append("NOTHING")
            }
            insert.append(" RETURNING event_id")
            let rows = try await insert.run(on: db)
            if !rows.isEmpty { try await Self.signal(db, schema) }
            return rows.count
        }
        return queued
    }

    /// Dead-lettered deliveries (of the configured sinks) are made again. Returns how many.
    public func redrive(sinks: [String]) async throws -> Int {
        guard !sinks.isEmpty else { return 0 }
        let schema = self.schema
        let now = Self.now
        return try await database.write { db in
            var update = Statement("UPDATE \(schema.deliveries) SET status = 'pending', round = round + 1, attempts = 0, last_error = NULL, updated_at_ms = ")
            update.append(update.bind(now))
            update.append(" WHERE status = 'dead-lettered' AND sink IN ")
            update.append(update.list(sinks))
            update.append(" RETURNING event_id")
            let rows = try await update.run(on: db)
            if !rows.isEmpty { try await Self.signal(db, schema) }
            return rows.count
        }
    }

    /// Tells every instance that pending deliveries appeared outside the fold.
    static func signal(_ db: any SQLExecutor, _ schema: LedgerSchema) async throws {
        try await db.query("""
            INSERT INTO \(schema.signals) AS s (name, value) VALUES ('pending', 1)
            ON CONFLICT (name) DO UPDATE SET value = s.value + 1
            """)
    }

    /// The counter the sweep compares with its last look.
    public func pendingSignal() async throws -> Int64 {
        let schema = self.schema
        return try await database.read { db in
            try await db.query("SELECT value FROM \(schema.signals) WHERE name = 'pending'").first?.int(0) ?? 0
        }
    }

    // MARK: Reading

    /// Deliveries by partition and status.
    public func deliveryCounts() async throws -> [Int32: [DeliveryStatus: Int64]] {
        let schema = self.schema
        return try await database.read { db in
            var result: [Int32: [DeliveryStatus: Int64]] = [:]
            for row in try await db.query("SELECT kafka_partition, status, COUNT(*) FROM \(schema.deliveries) GROUP BY kafka_partition, status") {
                guard let status = DeliveryStatus(rawValue: try row.string(1)) else { continue }
                result[Int32(try row.int(0)), default: [:]][status] = try row.int(2)
            }
            return result
        }
    }

    /// One order's notifications, oldest first, each with its deliveries.
    public func notifications(of orderId: String) async throws -> [OrderNotification] {
        let schema = self.schema
        return try await database.read { db in
            let rows = try await db.query("""
                SELECT e.event_id, e.notification, d.sink, d.status, d.round, d.attempts, d.last_error, d.delivered_at_ms, d.updated_at_ms
                FROM \(schema.events) e LEFT JOIN \(schema.deliveries) d ON d.event_id = e.event_id
                WHERE e.order_id = $1 ORDER BY e.version, d.sink
                """, [.text(orderId)])
            var result: [OrderNotification] = []
            for row in rows {
                let eventId = try row.string(0)
                if result.last?.notification.eventId != eventId {
                    result.append(OrderNotification(notification: try NotificationJSON.decode(try row.string(1)), deliveries: []))
                }
                guard let sink = try row.optionalString(2) else { continue }
                result[result.count - 1].deliveries.append(OrderNotification.Delivery(
                    sink: sink, status: try row.string(3), round: try row.int(4), attempts: try row.int(5),
                    lastError: try row.optionalString(6), deliveredAtMs: try row.optionalInt(7), updatedAtMs: try row.int(8)))
            }
            return result
        }
    }
}

/// `GET /orders/{id}/notifications`: a notification and where it was delivered.
public struct OrderNotification: Sendable, Encodable {
    public struct Delivery: Sendable, Encodable {
        public var sink: String
        public var status: String
        public var round: Int64
        public var attempts: Int64
        public var lastError: String?
        public var deliveredAtMs: Int64?
        public var updatedAtMs: Int64
    }

    public var notification: Notification
    public var deliveries: [Delivery]
}
