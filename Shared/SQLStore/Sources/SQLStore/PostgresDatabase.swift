import Logging
import NIOCore
import PostgresNIO

/// PostgreSQL through PostgresNIO's connection pool.
public final class PostgresDatabase: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects once first: a TLS setting that cannot work (a certificate that does not
    /// verify, a server without TLS under `sslmode=require`) stops the service at start with
    /// `DatabaseError.tls`, and the server refusing the connection (pg_hba.conf, a wrong
    /// password, no such database) with `DatabaseError.refused` and the server's own words,
    /// rather than hiding in the pool's reconnects. A server not reachable yet is left to the
    /// pool, which keeps trying, as before.
    public static func open(url: DatabaseURL.Postgres, logger: Logger) async throws -> PostgresDatabase {
        let tls = try url.tls.clientTLS()
        let probe = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try url.tls.connectionTLS())
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            if let reason = PostgresTLS.failure(error, mode: url.tls.mode) { throw DatabaseError.tls("\(reason) (\(DatabaseURL.postgres(url)))") }
            // Class 28 (pg_hba.conf, password) and 3D000 (no such database) are final; others
            // (57P03, the server still starting) pass, as a server not up yet does.
            if let error = error as? PSQLError, error.code == .server, let state = error.serverInfo?[.sqlState],
               state.hasPrefix("28") || state == "3D000" {
                let message = error.serverInfo?[.message] ?? "no message"
                throw DatabaseError.refused("\(message) (\(DatabaseURL.postgres(url)))")
            }
            logger.warning("PostgreSQL is not reachable yet; the pool keeps trying", metadata: ["error": "\(String(reflecting: error))"])
        }
        return PostgresDatabase(url: url, tls: tls, logger: logger)
    }

    private init(url: DatabaseURL.Postgres, tls: PostgresClient.Configuration.TLS, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: tls)
        configuration.options.maximumConnections = 20
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool leases connections only while it runs.
        self.runner = Task { await client.run() }
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(PostgresExecutor(connection: connection, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            // The body's own error (a refusal the caller handles) comes out as itself.
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await PostgresExecutor(connection: connection, logger: logger)
                .inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        }
    }

    public func readStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withConnection { connection in
            try await PostgresExecutor(connection: connection, logger: logger).query(sql, binds)
        }
    }

    @discardableResult
    public func writeStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await client.withConnection { connection in
            try await PostgresExecutor(connection: connection, logger: logger).query(sql, binds)
        }
    }

    public func close() async {
        runner.cancel()
        _ = await runner.value
    }
}

public struct PostgresExecutor: SQLExecutor {
    let connection: PostgresConnection
    let logger: Logger
    public var dialect: SQLDialect { .postgres }

    /// COPY FROM STDIN in text format: one round trip for any number of rows, no parameters to bind.
    public func insert(into table: String, columns: [String], rows: [[SQLValue]]) async throws {
        guard !rows.isEmpty else { return }
        var copyRows = CopyRows(reservingCapacity: 64 * 1024)
        for row in rows { copyRows.appendRow(row) }
        try await copy(into: table, columns: columns, rows: copyRows)
    }

    public func copy(into table: String, columns: [String], rows: CopyRows) async throws {
        guard !rows.isEmpty else { return }
        try await copyIn(table: Self.quotedInside(table), columns: columns, [rows.buffer])
    }

    public func copy(into table: String, columns: [String], rows: BinaryCopyRows) async throws {
        guard !rows.isEmpty else { return }
        // PostgresNIO 1.33 offers COPY in text format only: it sends
        // `COPY "<table>" (<columns>) FROM STDIN WITH (FORMAT text)` with the table as given.
        // So the table argument carries the statement's head with our format, and a comment
        // swallows the rest. The names are the service's own, never input. If a later
        // PostgresNIO quoted the argument, the statement would fail (the store's tests on
        // PostgreSQL would say so), never copy in the wrong format.
        let columnList = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let statementHead = "\(Self.quotedInside(table))\" (\(columnList)) FROM STDIN WITH (FORMAT binary) --"
        try await copyIn(
            table: statementHead, columns: [],
            [ByteBuffer(bytes: BinaryCopyRows.header), rows.buffer, ByteBuffer(bytes: BinaryCopyRows.trailer)])
    }

    /// A table name as it goes between the quotes PostgresNIO puts around it (`COPY "name"`):
    /// a schema-qualified name of ours becomes "schema"."table" this way.
    private static func quotedInside(_ table: String) -> String {
        table.split(separator: ".").joined(separator: "\".\"")
    }

    /// COPY FROM STDIN of `parts`, in slices of at most 256 KiB (no copy), each a CopyData message.
    private func copyIn(table: String, columns: [String], _ parts: [ByteBuffer]) async throws {
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                for part in parts {
                    var remaining = part
                    while remaining.readableBytes > 0,
                          let chunk = remaining.readSlice(length: min(remaining.readableBytes, 256 * 1024)) {
                        try await writer.write(chunk)
                    }
                }
            }
        } catch let error as PSQLError {
            throw DatabaseError(error)
        }
    }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .int(let int): bindings.append(int)
            case .text(let text): bindings.append(text)
            case .null: bindings.appendNull()
            }
        }
        var result: [SQLRow] = []
        do {
            try await collect(sql, bindings, into: &result)
        } catch let error as PSQLError {
            throw DatabaseError(error)
        }
        return result
    }

    private func collect(_ sql: String, _ bindings: PostgresBindings, into result: inout [SQLRow]) async throws {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        for try await row in rows {
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            for cell in row {
                values.append(try Self.value(of: cell))
            }
            result.append(SQLRow(values))
        }
    }

    private static func value(of cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .int(try cell.decode(Int64.self))
        case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
        case .numeric:
            // The read model's statements cast sums to BIGINT; a numeric that is not a whole
            // number is a bug to surface, not a value to round.
            let text = try cell.decode(String.self)
            guard let value = Int64(text) else { throw DatabaseError.unexpectedValue(column: cell.columnIndex, found: .text(text)) }
            return .int(value)
        default: return .text(try cell.decode(String.self))
        }
    }
}

extension DatabaseError {
    /// PostgresNIO hides the server's message from `description` (it may hold data); the
    /// service's logs need it to be of any use, and its statements bind values, never splice them.
    init(_ error: PSQLError) {
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
        self = .postgres("\(message)\(state)")
    }
}
