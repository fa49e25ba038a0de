import Foundation
import Logging
import SQLStore
import Testing

/// The migration runner both services' schemas use: each step once, in order, recorded.
struct MigrationsTests {
    static let postgresURL = ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"]

    /// A throwaway database of each kind there is here: SQLite always, PostgreSQL when the
    /// test command provides one (scripts/test always does), in a schema of its own.
    static func databases() async throws -> [(database: any SQLDatabase, schema: String)] {
        let schema = "migrations_test_\(UInt32.random(in: 0...UInt32.max))"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(schema).sqlite").path
        var databases: [(any SQLDatabase, String)] = [(try await DatabaseURL.sqlite(path: file).open(logger: Logger(label: "test")), schema)]
        if let postgresURL {
            databases.append((try await DatabaseURL(postgresURL).open(logger: Logger(label: "test")), schema))
        }
        return databases
    }

    static func migrations(_ schema: String, dialect: SQLDialect, steps: Int) -> Migrations {
        let notes = dialect.table("notes", schema: schema)
        let all: [Migrations.Step] = [
            (1, "notes", ["CREATE TABLE \(notes) (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"]),
            (2, "a first note", ["INSERT INTO \(notes) (id, body) VALUES (1, 'first')"]),
            (3, "a second note", ["INSERT INTO \(notes) (id, body) VALUES (2, 'second')"]),
        ]
        return Migrations(
            schemaName: schema, table: dialect.table("migrations", schema: schema), lockId: 8032199, steps: Array(all.prefix(steps)))
    }

    @Test func eachStepRunsOnceAndALaterStepRunsWhenItIsAdded() async throws {
        for (database, schema) in try await Self.databases() {
            let dialect = database.dialect
            let logger = Logger(label: "test")
            do {
                // Twice with two steps (the second run applies nothing: the insert would fail
                // on its key), then with the third.
                for steps in [2, 2, 3] {
                    try await database.write { db in
                        try await Self.migrations(schema, dialect: dialect, steps: steps).run(in: db, logging: "migrated", logger: logger)
                    }
                }
                let (notes, versions) = try await database.read { db in
                    (try await db.query("SELECT body FROM \(dialect.table("notes", schema: schema)) ORDER BY id").map { try $0.string(0) },
                     try await db.query("SELECT version FROM \(dialect.table("migrations", schema: schema)) ORDER BY version").map { try $0.int(0) })
                }
                #expect(notes == ["first", "second"], "\(dialect)")
                #expect(versions == [1, 2, 3], "\(dialect)")
            } catch {
                Issue.record("\(dialect): \(error)")
            }
            if dialect == .postgres {
                try await database.write { db in try await db.query("DROP SCHEMA \(schema) CASCADE") }
            }
            await database.close()
            if dialect == .sqlite {
                try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent("\(schema).sqlite"))
            }
        }
    }
}
