import Events
import Foundation
import Logging
import KafkaEvents
import SQLStore

/// One delivery to make: an event's notification for one sink.
public struct PendingDelivery: Sendable, Hashable {
    public struct Key: Hashable, Sendable {
        public var eventId: String
        public var sink: String
    }

    public var key: Key
    public var partition: Int32
    public var offset: Int64
    public var orderId: String
    public var version: Int64
    /// 0 for the first delivery; each resend asked for by a replay adds one.
    public var round: Int64
    /// Attempts already made (they survive a restart).
    public var attempts: Int64
    public var notification: Notification
    /// The notification's JSON, as the ledger stores it and every sink sends it (encoded once).
    public var body: [UInt8]
    public var record: EventRecord
}

/// Why a fold batch was not stored.
public enum FoldRefusal: Error, Equatable {
    /// Another instance (this one lost the partition) folded past the batch's start.
    case offsetMoved(partition: Int32, stored: Int64?, expected: Int64)
}

/// The notifier's state in SQL (PostgreSQL or SQLite): how far each partition is folded,
/// each order's version in effect, the events that notify and, per event and sink, whether
/// it was delivered. A batch's fold and its deliveries-to-make are one transaction, written
/// before the group's offset is committed, so a redelivered event is recognised.
public final class DeliveryLedger: Sendable {
    public let database: any SQLDatabase
    let schema: LedgerSchema
    let logger: Logger

    public init(database: any SQLDatabase, logger: Logger) {
        self.database = database
        self.schema = LedgerSchema(dialect: database.dialect)
        self.logger = logger
    }

    static var now: Int64 { Timestamp.now.millisecondsSinceEpoch }

    /// Creates or migrates the tables; safe when several instances start at once.
    public func migrate() async throws {
        let schema = self.schema
        let logger = self.logger
        try await database.write { db in
            try await Migrations(
                schemaName: LedgerSchema.schemaName, table: schema.migrations, lockId: 8032118, steps: schema.migrationSteps
            ).run(in: db, logging: "Migrated the delivery ledger", logger: logger)
        }
    }

    // MARK: Partitions

    /// The partitions' folded offsets; a partition the ledger has never seen is created, folded
    /// from the beginning of the log (versions need the whole history) and delivering from
    /// `deliverFrom(partition)`.
    public func claim(_ partitions: [Int32], deliverFrom: @Sendable (Int32) -> Int64) async throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let schema = self.schema
        return try await database.write { db in
            var rows = Statement("INSERT INTO \(schema.partitions) (kafka_partition, folded_offset, deliver_from) VALUES ")
            rows.append(rows.rows(partitions.map { [.int(Int64($0)), .int(0), .int(deliverFrom($0))] }))
            rows.append(" ON CONFLICT (kafka_partition) DO NOTHING")
            try await rows.run(on: db)
            return try await Self.partitionRows(db, schema, partitions).mapValues(\.folded)
        }
    }

    static func partitionRows(_ db: any SQLExecutor, _ schema: LedgerSchema, _ partitions: [Int32]) async throws -> [Int32: (folded: Int64, deliverFrom: Int64)] {
        var select = Statement("SELECT kafka_partition, folded_offset, deliver_from FROM \(schema.partitions) WHERE kafka_partition IN ")
        select.append("(" + partitions.map { select.bind(Int64($0)) }.joined(separator: ", ") + ")")
        var result: [Int32: (folded: Int64, deliverFrom: Int64)] = [:]
        for row in try await select.run(on: db) {
            result[Int32(try row.int(0))] = (try row.int(1), try row.int(2))
        }
        return result
    }

    /// Every partition's folded offset (for `/status`).
    public func foldedOffsets() async throws -> [Int32: Int64] {
        let schema = self.schema
        return try await database.read { db in
            var result: [Int32: Int64] = [:]
            for row in try await db.query("SELECT kafka_partition, folded_offset FROM \(schema.partitions)") {
                result[Int32(try row.int(0))] = try row.int(1)
            }
            return result
        }
    }

    // MARK: Folding

    /// What one stored batch gave.
    public struct FoldResult: Sendable {
        public var deliveries: [PendingDelivery]
        public var nextOffsets: [Int32: Int64]
        public var inEffectCount: Int
        public var voidEvents: [String: Int]
        public var notifying: Int
    }

    /// Folds a batch and stores it in one transaction: the events that notify, a delivery per
    /// event and sink, the orders' facts, and each partition's folded offset as a
    /// compare-and-set on `startOffsets` (a zombie that lost a partition cannot fold it twice).
    /// `deadLetter` runs inside the transaction, before it commits, for the unreadable records.
    public func fold(
        _ records: [LoggedRecord], startOffsets: [Int32: Int64], sinks: [String],
        partitionOf: @escaping @Sendable (String) -> Int32, templates: NotificationTemplates,
        deadLetter: @escaping @Sendable ([UnreadableRecord]) async throws -> Void
    ) async throws -> FoldResult {
        let schema = self.schema
        return try await database.write { db in
            let partitions = startOffsets.keys.sorted()
            let stored = try await Self.partitionRows(db, schema, partitions)
            var fold = NotificationFold(facts: try await Self.facts(db, schema, Set(records.compactMap { $0.record.keyString })))
            fold.fold(records, deliverFrom: stored.mapValues(\.deliverFrom), partitionOf: partitionOf, render: templates.render)
            for partition in partitions {
                let expected = startOffsets[partition] ?? 0
                let next = fold.nextOffsets[partition] ?? expected
                let moved = try await db.query(
                    "UPDATE \(schema.partitions) SET folded_offset = $1 WHERE kafka_partition = $2 AND folded_offset = $3 RETURNING folded_offset",
                    [.int(next), .int(Int64(partition)), .int(expected)])
                if moved.isEmpty { throw FoldRefusal.offsetMoved(partition: partition, stored: stored[partition]?.folded, expected: expected) }
            }
            if !fold.unreadable.isEmpty { try await deadLetter(fold.unreadable) }
            try await Self.storeFacts(db, schema, fold)
            let deliveries = try await Self.storeEvents(db, schema, fold.events, sinks: sinks)
            return FoldResult(
                deliveries: deliveries, nextOffsets: fold.nextOffsets, inEffectCount: fold.inEffectCount,
                voidEvents: fold.voidEvents, notifying: fold.events.count)
        }
    }

    static func facts(_ db: any SQLExecutor, _ schema: LedgerSchema, _ orderIds: Set<String>) async throws -> [String: NotificationRules.OrderFacts] {
        var result: [String: NotificationRules.OrderFacts] = [:]
        for chunk in Array(orderIds).chunked(5_000) {
            var select = Statement("SELECT order_id, version, customer_id, currency FROM \(schema.orders) WHERE order_id IN ")
            select.append(select.list(chunk))
            for row in try await select.run(on: db) {
                result[try row.string(0)] = .init(version: try row.int(1), customerId: try row.string(2), currency: try row.string(3))
            }
        }
        return result
    }

    static func storeFacts(_ db: any SQLExecutor, _ schema: LedgerSchema, _ fold: NotificationFold) async throws {
        let rows: [[SQLValue]] = fold.changedOrders.sorted { $0.key < $1.key }.map { orderId, partition in
            let facts = fold.facts[orderId] ?? .init()
            return [.text(orderId), .int(Int64(partition)), .int(facts.version), .text(facts.customerId), .text(facts.currency)]
        }
        for chunk in rows.chunked(2_000) {
            var upsert = Statement("INSERT INTO \(schema.orders) (order_id, kafka_partition, version, customer_id, currency) VALUES ")
            upsert.append(upsert.rows(chunk))
            upsert.append("""
                 ON CONFLICT (order_id) DO UPDATE SET kafka_partition = excluded.kafka_partition, version = excluded.version,
                 customer_id = excluded.customer_id, currency = excluded.currency
                """)
            try await upsert.run(on: db)
        }
    }

    static func storeEvents(_ db: any SQLExecutor, _ schema: LedgerSchema, _ events: [LedgerEvent], sinks: [String]) async throws -> [PendingDelivery] {
        guard !events.isEmpty else { return [] }
        let bodies = events.map { NotificationJSON.encode($0.notification) }
        let eventRows: [[SQLValue]] = zip(events, bodies).map { event, body in
            [.text(event.eventId), .text(event.orderId), .int(event.version), .int(Int64(event.partition)), .int(event.offset),
             .int(event.timestamp), .text(event.notification.kind), .text(body),
             .text(RecordJSON.value(event.record)), .text(RecordJSON.headers(event.record))]
        }
        for chunk in eventRows.chunked(1_500) {
            var insert = Statement("""
                INSERT INTO \(schema.events) (event_id, order_id, version, kafka_partition, kafka_offset, record_timestamp,
                kind, notification, record_value, record_headers) VALUES
                """)
            insert.append(insert.rows(chunk))
            insert.append(" ON CONFLICT (event_id) DO NOTHING")
            try await insert.run(on: db)
        }
        let now = Self.now
        var pending: [PendingDelivery] = []
        for (event, body) in zip(events, bodies) where event.deliver {
            for sink in sinks {
                pending.append(PendingDelivery(
                    key: .init(eventId: event.eventId, sink: sink), partition: event.partition, offset: event.offset,
                    orderId: event.orderId, version: event.version, round: 0, attempts: 0,
                    notification: event.notification, body: Array(body.utf8), record: event.record))
            }
        }
        let deliveryRows: [[SQLValue]] = pending.map { delivery in
            [.text(delivery.key.eventId), .text(delivery.key.sink), .int(Int64(delivery.partition)), .int(delivery.offset),
             .text(delivery.orderId), .int(delivery.version), .text(DeliveryStatus.pending.rawValue), .int(0), .int(0), .int(now)]
        }
        for chunk in deliveryRows.chunked(1_500) {
            var insert = Statement("""
                INSERT INTO \(schema.deliveries) (event_id, sink, kafka_partition, kafka_offset, order_id, version, status,
                round, attempts, updated_at_ms) VALUES
                """)
            insert.append(insert.rows(chunk))
            insert.append(" ON CONFLICT (event_id, sink) DO NOTHING")
            try await insert.run(on: db)
        }
        return pending
    }
}

/// The notification as stored and sent: compact JSON with sorted keys.
enum NotificationJSON {
    /// The bytes JSONEncoder gives with `.sortedKeys` and `.withoutEscapingSlashes` (a test
    /// holds the two equal), written directly: JSONEncoder was a sixteenth of the fold.
    static func encode(_ notification: Notification) -> String {
        var writer = JSONByteWriter(capacity: 512)
        writer.beginObject()
        // The keys in JSONEncoder's `.sortedKeys` order.
        for (key, value) in [
            ("customerId", notification.customerId), ("eventId", notification.eventId), ("kind", notification.kind),
            ("occurredAt", notification.occurredAt), ("orderId", notification.orderId), ("position", notification.position),
            ("subject", notification.subject), ("text", notification.text),
        ] {
            writer.key(key)
            writer.string(value)
        }
        writer.key("version")
        writer.int(notification.version)
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func decode(_ text: String) throws -> Notification {
        try JSONDecoder().decode(Notification.self, from: Data(text.utf8))
    }
}

/// An event record as the ledger keeps it, to dead-letter it later exactly as it was read.
enum RecordJSON {
    static func value(_ record: EventRecord) -> String {
        record.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// `[[name, value], ...]` (a null value as ""), written directly: JSONEncoder here was a
    /// tenth of the notifier's fold.
    static func headers(_ record: EventRecord) -> String {
        var writer = JSONByteWriter(capacity: 256)
        writer.beginArray()
        for header in record.headers {
            writer.beginArray()
            writer.string(header.name)
            writer.string(header.value.map { String(decoding: $0, as: UTF8.self) } ?? "")
            writer.endArray()
        }
        writer.endArray()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func record(key: String, value: String, headers: String) -> EventRecord {
        let pairs = (try? JSONDecoder().decode([[String]].self, from: Data(headers.utf8))) ?? []
        return EventRecord(
            key: Array(key.utf8), value: Array(value.utf8),
            headers: pairs.compactMap { $0.count == 2 ? EventRecord.Header($0[0], $0[1]) : nil })
    }
}
