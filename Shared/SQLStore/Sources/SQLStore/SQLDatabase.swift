/// A value bound to, or read from, a SQL statement. The read model needs only these.
public enum SQLValue: Sendable, Hashable {
    case int(Int64)
    case text(String)
    case null

    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .int($0) } ?? .null }
}

/// One result row, by position (the statements name their columns in a fixed order).
public struct SQLRow: Sendable {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    public func int(_ index: Int) throws(DatabaseError) -> Int64 {
        switch values[index] {
        case .int(let value): return value
        case .text(let text): if let value = Int64(text) { return value }
        case .null: break
        }
        throw DatabaseError.unexpectedValue(column: index, found: values[index])
    }

    public func string(_ index: Int) throws(DatabaseError) -> String {
        switch values[index] {
        case .text(let value): return value
        case .int(let value): return String(value)
        case .null: throw DatabaseError.unexpectedValue(column: index, found: .null)
        }
    }

    public func optionalString(_ index: Int) throws(DatabaseError) -> String? {
        if case .null = values[index] { return nil }
        return try string(index)
    }

    public func optionalInt(_ index: Int) throws(DatabaseError) -> Int64? {
        if case .null = values[index] { return nil }
        return try int(index)
    }
}

public enum DatabaseError: Error, CustomStringConvertible {
    case unexpectedValue(column: Int, found: SQLValue)
    case badURL(String)
    /// The TLS connection to PostgreSQL cannot be made as configured (a certificate that does
    /// not verify, a server without TLS under `sslmode=require`): not retried.
    case tls(String)
    /// The server refused the connection at start (pg_hba.conf, authentication, no such
    /// database), in its own words: not retried.
    case refused(String)
    case closed
    /// What PostgreSQL answered.
    case postgres(String)
    /// An operation this database does not have (a caller's bug).
    case unsupported(String)

    public var description: String {
        switch self {
        case .unexpectedValue(let column, let found): "unexpected value \(found) in column \(column)"
        case .badURL(let reason): "DATABASE_URL: \(reason)"
        case .tls(let reason): "TLS to PostgreSQL: \(reason)"
        case .refused(let reason): "PostgreSQL refused the connection: \(reason)"
        case .closed: "the database is closed"
        case .postgres(let message): "PostgreSQL: \(message)"
        case .unsupported(let what): "not supported by this database: \(what)"
        }
    }
}

/// Runs statements. SQL is written with `$1, $2, ...` placeholders (each database rewrites
/// them if it must); values are always bound, never spliced into the text.
public protocol SQLExecutor: Sendable {
    var dialect: SQLDialect { get }

    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]

    /// Appends rows to a table, as fast as the database allows (PostgreSQL: COPY; otherwise
    /// multi-row INSERTs). `table` and `columns` are the service's own names, never input.
    func insert(into table: String, columns: [String], rows: [[SQLValue]]) async throws

    /// PostgreSQL's COPY FROM STDIN of rows already in its text format (one round trip for
    /// any number of rows). Other databases throw `DatabaseError.unsupported`.
    func copy(into table: String, columns: [String], rows: CopyRows) async throws

    /// The same in COPY's binary format: less of the server's time per row (the fastest way
    /// in for a large batch), with every integer a `bigint`.
    func copy(into table: String, columns: [String], rows: BinaryCopyRows) async throws
}

extension SQLExecutor {
    @discardableResult
    public func query(_ sql: String) async throws -> [SQLRow] { try await query(sql, []) }

    public func insert(into table: String, columns: [String], rows: [[SQLValue]]) async throws {
        try await insertWithValues(into: table, columns: columns, rows: rows)
    }

    /// Multi-row INSERTs, each under the databases' bound-parameter limits.
    public func insertWithValues(into table: String, columns: [String], rows: [[SQLValue]]) async throws {
        guard !rows.isEmpty else { return }
        for chunk in rows.chunked(max(1, 20_000 / max(1, columns.count))) {
            var insert = Statement("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
            insert.append(insert.rows(chunk))
            try await insert.run(on: self)
        }
    }

    /// Runs `body` between `begin` and COMMIT on this connection; ROLLBACK if it throws.
    public func inTransaction<T: Sendable>(begin: String, _ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await query(begin)
        do {
            let result = try await body(self)
            try await query("COMMIT")
            return result
        } catch {
            _ = try? await query("ROLLBACK")
            throw error
        }
    }
}

/// The two databases the read model runs on, behind one protocol: PostgreSQL (PostgresNIO)
/// and SQLite (SQLiteNIO). The read model's SQL is common to both; what differs is here.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one read-write transaction: committed if it returns, rolled back if it throws.
    @discardableResult
    func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Runs `body` against one consistent snapshot (a read-only transaction).
    func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// One read-only statement on its own: one round trip, no transaction around it. A single
    /// statement sees one consistent state of the database in both engines, so a read that
    /// fits in one statement needs no `read { }` (whose BEGIN and COMMIT are two more).
    func readStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    /// One statement that writes, on its own: atomic without a transaction around it (it
    /// applies whole or not at all), so one round trip instead of BEGIN, it and COMMIT.
    @discardableResult
    func writeStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
    func close() async
}

public enum SQLDialect: String, Sendable {
    case postgres
    case sqlite

    /// The qualified name of one of the service's tables: PostgreSQL keeps them in the
    /// service's own schema; a SQLite file has none, so the schema becomes a prefix.
    public func table(_ name: String, schema: String) -> String {
        switch self {
        case .postgres: "\(schema).\(name)"
        case .sqlite: "\(schema)_\(name)"
        }
    }
}
