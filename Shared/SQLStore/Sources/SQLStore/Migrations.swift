import Foundation
import Logging

/// A schema's migrations: numbered steps, each applied once, in order, and recorded in a table
/// of the schema's own. Safe when several instances start at once: on PostgreSQL they take
/// turns on an advisory lock (`lockId`, one per schema), on SQLite on its write lock (the
/// transaction is `BEGIN IMMEDIATE`).
public struct Migrations: Sendable {
    public typealias Step = (version: Int64, description: String, statements: [String])

    /// The PostgreSQL schema the tables live in (created if missing); unused on SQLite.
    public var schemaName: String
    /// The table that records the steps applied.
    public var table: String
    public var lockId: Int64
    public var steps: [Step]

    public init(schemaName: String, table: String, lockId: Int64, steps: [Step]) {
        self.schemaName = schemaName
        self.table = table
        self.lockId = lockId
        self.steps = steps
    }

    /// Applies the steps not applied yet, in `db`'s write transaction (the caller's, so it can
    /// do more in the same one); logs each as "`what`: version: description".
    public func run(in db: any SQLExecutor, logging what: String, logger: Logger) async throws {
        if db.dialect == .postgres {
            try await db.query("SELECT pg_advisory_xact_lock(\(lockId))")
            try await db.query("CREATE SCHEMA IF NOT EXISTS \(schemaName)")
        }
        try await db.query("""
            CREATE TABLE IF NOT EXISTS \(table) (
                version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)
            """)
        let applied = Set(try await db.query("SELECT version FROM \(table)").map { try $0.int(0) })
        for step in steps where !applied.contains(step.version) {
            for statement in step.statements { try await db.query(statement) }
            try await db.query(
                "INSERT INTO \(table) (version, description, applied_at_ms) VALUES ($1, $2, $3)",
                [.int(step.version), .text(step.description), .int(Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))])
            logger.info("\(what)", metadata: ["migration": "\(step.version): \(step.description)"])
        }
    }
}
