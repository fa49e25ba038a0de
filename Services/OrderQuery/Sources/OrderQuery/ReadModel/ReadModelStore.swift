import KafkaEvents
import SQLStore
import Events
import Foundation
import Logging
import NIOConcurrencyHelpers

/// The read model in a SQL database: migrations, generations and their stored offsets. The
/// projection's writes are in `+Apply`, the queries in `+Queries`.
public final class ReadModelStore: Sendable {
    public let database: any SQLDatabase
    public let schema: ReadModelSchema
    let logger: Logger
    /// The live generation as last read (`visibleOrder` checks it in the same statement).
    let liveGenerationSeen = NIOLockedValueBox<Int64?>(nil)

    public init(database: any SQLDatabase, logger: Logger) {
        self.database = database
        self.schema = ReadModelSchema(dialect: database.dialect)
        self.logger = logger
    }

    /// Creates or migrates the bookkeeping tables and makes sure a live generation exists.
    /// Safe when several instances start at once: PostgreSQL serialises them on an advisory
    /// lock, SQLite on its write lock (`BEGIN IMMEDIATE`). Returns the live generation.
    @discardableResult
    public func migrate(partitionCount: Int32) async throws -> Int64 {
        let schema = self.schema
        let logger = self.logger
        return try await database.write { db in
            try await Migrations(
                schemaName: ReadModelSchema.schemaName, table: schema.migrations, lockId: 8032117, steps: schema.migrationSteps
            ).run(in: db, logging: "Migrated the read model", logger: logger)
            try await Self.upgradeGenerations(db, schema, logger: logger)
            if let live = try await Self.liveGeneration(db, schema) { return live }
            let generation = try await Self.createGeneration(db, schema, status: .live, upTo: nil, partitionCount: partitionCount)
            logger.info("Created the read model's first generation", metadata: ["generation": "\(generation)"])
            return generation
        }
    }

    /// A new generation's tables and offsets (every partition from the beginning). Only a
    /// live one has the indexes that serve queries from the start; the others get them from
    /// `prepareForQueries` once built, before they serve any (the rebuild does that).
    public func createGeneration(status: Generation.Status, upTo: [Int32: Int64]?, partitionCount: Int32) async throws -> Int64 {
        let schema = self.schema
        return try await database.write { db in
            try await Self.createGeneration(db, schema, status: status, upTo: upTo, partitionCount: partitionCount)
        }
    }

    static func createGeneration(
        _ db: any SQLExecutor, _ schema: ReadModelSchema, status: Generation.Status, upTo: [Int32: Int64]?, partitionCount: Int32
    ) async throws -> Int64 {
        let last = try await db.query("SELECT MAX(generation) FROM \(schema.generations)").first?.optionalInt(0) ?? 0
        let generation = last + 1
        let tables = schema.tables(generation)
        for statement in schema.dropStatements(tables) + schema.createStatements(tables, queryIndexes: status == .live) {
            try await db.query(statement)
        }
        let now = Timestamp.now.millisecondsSinceEpoch
        try await db.query("""
            INSERT INTO \(schema.generations) (generation, status, created_at_ms, up_to, started_at_ms, updated_at_ms)
            VALUES ($1, $2, $3, $4, $3, $3)
            """, [.int(generation), .text(status.rawValue), .int(now), SQLValue(upTo.map(Self.encodePositions))])
        var insert = Statement("INSERT INTO \(schema.offsets) (generation, kafka_partition, next_offset, stop_offset) VALUES ")
        insert.append(insert.rows((0..<partitionCount).map { partition in
            [.int(generation), .int(Int64(partition)), .int(0), SQLValue(upTo.map { $0[partition] ?? 0 })]
        }))
        try await insert.run(on: db)
        return generation
    }

    static func liveGeneration(_ db: any SQLExecutor, _ schema: ReadModelSchema) async throws -> Int64? {
        try await db.query("SELECT generation FROM \(schema.generations) WHERE status = 'live' ORDER BY generation DESC LIMIT 1")
            .first?.int(0)
    }

    public func liveGeneration() async throws -> Int64? {
        let schema = self.schema
        return try await database.read { db in try await Self.liveGeneration(db, schema) }
    }

    /// Every generation, newest first.
    public func generations() async throws -> [Generation] {
        let schema = self.schema
        return try await database.read { db in try await Self.generations(db, schema, where: nil) }
    }

    public func generation(_ generation: Int64) async throws -> Generation? {
        let schema = self.schema
        return try await database.read { db in try await Self.generations(db, schema, where: generation).first }
    }

    static func generations(_ db: any SQLExecutor, _ schema: ReadModelSchema, where generation: Int64?) async throws -> [Generation] {
        var statement = Statement("""
            SELECT generation, status, created_at_ms, swapped_at_ms, up_to, events_applied, target_events,
                   started_at_ms, updated_at_ms, error
            FROM \(schema.generations)
            """)
        if let generation { statement.append(" WHERE generation = \(statement.bind(generation))") }
        statement.append(" ORDER BY generation DESC")
        return try await statement.run(on: db).map { row in
            Generation(
                generation: try row.int(0),
                status: Generation.Status(rawValue: try row.string(1)) ?? .failed,
                createdAt: Timestamp(millisecondsSinceEpoch: try row.int(2)),
                swappedAt: try row.optionalInt(3).map(Timestamp.init(millisecondsSinceEpoch:)),
                upTo: try row.optionalString(4).flatMap(Self.decodePositions),
                eventsApplied: try row.int(5), targetEvents: try row.optionalInt(6),
                startedAt: Timestamp(millisecondsSinceEpoch: try row.int(7)),
                updatedAt: Timestamp(millisecondsSinceEpoch: try row.int(8)),
                error: try row.optionalString(9))
        }
    }

    /// Per partition, the next offset the generation applies (Kafka's convention).
    public func storedOffsets(_ generation: Int64) async throws -> [Int32: Int64] {
        let schema = self.schema
        return try await database.read { db in try await Self.storedOffsets(db, schema, generation) }
    }

    static func storedOffsets(_ db: any SQLExecutor, _ schema: ReadModelSchema, _ generation: Int64) async throws -> [Int32: Int64] {
        var offsets: [Int32: Int64] = [:]
        for row in try await db.query(
            "SELECT kafka_partition, next_offset FROM \(schema.offsets) WHERE generation = $1", [.int(generation)]) {
            offsets[Int32(try row.int(0))] = try row.int(1)
        }
        return offsets
    }

    /// Records a rebuild's progress (read by `GET /admin/rebuild/{id}` on any instance).
    public func recordProgress(_ generation: Int64, eventsApplied: Int64, targetEvents: Int64?) async throws {
        let schema = self.schema
        try await database.write { db in
            try await db.query(
                "UPDATE \(schema.generations) SET events_applied = $1, target_events = $2, updated_at_ms = $3 WHERE generation = $4",
                [.int(eventsApplied), SQLValue(targetEvents), .int(Timestamp.now.millisecondsSinceEpoch), .int(generation)])
        }
    }

    /// A running rebuild's heartbeat.
    public func touch(_ generation: Int64) async throws {
        let schema = self.schema
        try await database.write { db in
            try await db.query(
                "UPDATE \(schema.generations) SET updated_at_ms = $1 WHERE generation = $2",
                [.int(Timestamp.now.millisecondsSinceEpoch), .int(generation)])
        }
    }

    public func setStatus(_ generation: Int64, _ status: Generation.Status, error: String? = nil) async throws {
        let schema = self.schema
        try await database.write { db in
            if schema.dialect == .postgres {
                // As a swap does: wait for batches being applied to it (they hold the row key
                // share), and hold off new ones until the change is committed.
                try await db.query("SELECT 1 FROM \(schema.generations) WHERE generation = $1 FOR UPDATE", [.int(generation)])
            }
            try await db.query(
                "UPDATE \(schema.generations) SET status = $1, error = $2, updated_at_ms = $3 WHERE generation = $4",
                [.text(status.rawValue), SQLValue(error), .int(Timestamp.now.millisecondsSinceEpoch), .int(generation)])
        }
    }

    /// Builds a generation's query indexes (if it has not got them) and, on PostgreSQL,
    /// gathers the statistics of the orders' list columns, so that its first lists are
    /// planned on what it holds (the other tables are read by key; autovacuum gathers the
    /// rest later). Each statement locks one table against writes only while it runs. On
    /// PostgreSQL the indexes are built at once, each on its own connection (their locks let
    /// each other in; one at a time left a core idle at the end of every rebuild), and the
    /// statistics after them (ANALYZE's lock waits for index builds).
    public func prepareForQueries(_ generation: Int64) async throws {
        let schema = self.schema
        let tables = schema.tables(generation)
        let indexes = schema.queryIndexStatements(tables)
        guard schema.dialect == .postgres else {
            for statement in indexes {
                try await database.write { db in try await db.query(statement) }
            }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for statement in indexes {
                group.addTask { _ = try await self.database.write { db in try await db.query(statement) } }
            }
            try await group.waitForAll()
        }
        // Only the columns the lists filter and order by: each column's statistics are
        // worked out from the sample on their own.
        try await database.write { db in
            try await db.query("ANALYZE \(tables.orders) (status, customer_id, placed_at_ms, order_id)")
        }
    }

    public func drop(_ generation: Int64) async throws {
        let schema = self.schema
        try await database.write { db in
            for statement in schema.dropStatements(schema.tables(generation)) { try await db.query(statement) }
            try await db.query("DELETE FROM \(schema.offsets) WHERE generation = $1", [.int(generation)])
        }
    }

    static func encodePositions(_ positions: [Int32: Int64]) -> String {
        positions.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    static func decodePositions(_ text: String) -> [Int32: Int64]? {
        var positions: [Int32: Int64] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]) else { return nil }
            positions[partition] = offset
        }
        return positions
    }
}

