import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// SQLite through SQLiteNIO: one writer connection and a few reader connections on the same
/// file in WAL mode, so queries read a committed snapshot while the projection writes, several
/// at once (one reader serialised every query, and reads queued behind each other under load).
/// Each connection is held by one transaction at a time.
public final class SQLiteDatabase: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let writer: SQLiteConnection
    private let readers: AsyncPool<SQLiteConnection>
    private let writeLock = AsyncLock()

    /// Reader connections: each query of a read waits on SQLiteNIO's thread pool, so a few
    /// reads in flight keep the cores busy.
    static let readerCount = 4

    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        // A second process (a restarted instance while the old one is exiting) waits its turn.
        _ = try await writer.query("PRAGMA busy_timeout = 30000", [])
        _ = try await writer.query("PRAGMA journal_mode = WAL", [])
        _ = try await writer.query("PRAGMA synchronous = NORMAL", [])
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            _ = try await reader.query("PRAGMA busy_timeout = 30000", [])
            readers.append(reader)
        }
        return SQLiteDatabase(writer: writer, readers: readers)
    }

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = writer
        self.readers = AsyncPool(readers)
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await writeLock.withLock { [writer] in
            try await SQLiteExecutor(connection: writer).inTransaction(begin: "BEGIN IMMEDIATE", body)
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await readers.withResource { reader in
            try await SQLiteExecutor(connection: reader).inTransaction(begin: "BEGIN", body)
        }
    }

    public func readStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await readers.withResource { reader in try await SQLiteExecutor(connection: reader).query(sql, binds) }
    }

    @discardableResult
    public func writeStatement(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await writeLock.withLock { [writer] in try await SQLiteExecutor(connection: writer).query(sql, binds) }
    }

    public func close() async {
        try? await writer.close()
        for reader in await readers.all { try? await reader.close() }
    }
}

public struct SQLiteExecutor: SQLExecutor {
    let connection: SQLiteConnection
    public var dialect: SQLDialect { .sqlite }

    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let data: [SQLiteData] = binds.map {
            switch $0 {
            case .int(let int): .integer(SQLiteInt64(int))
            case .text(let text): .text(text)
            case .null: .null
            }
        }
        let rows = try await connection.query(Self.numberedPlaceholders(sql), data)
        return rows.map { row in
            SQLRow(row.columns.map { column in
                switch column.data {
                case .integer(let int): .int(Int64(int))
                case .text(let text): .text(text)
                case .float(let double): .int(Int64(double))
                case .blob(let buffer): .text(String(buffer: buffer))
                case .null: .null
                }
            })
        }
    }

    public func copy(into table: String, columns: [String], rows: CopyRows) async throws {
        throw DatabaseError.unsupported("COPY")
    }

    public func copy(into table: String, columns: [String], rows: BinaryCopyRows) async throws {
        throw DatabaseError.unsupported("COPY")
    }

    /// `$n` becomes SQLite's `?n`: the same parameter number, whatever order they appear in.
    /// Over the UTF-8 bytes, in place (a batch's multi-row statement has thousands of
    /// placeholders; walking it by `Character` was 7% of the notifier's fold).
    public static func numberedPlaceholders(_ sql: String) -> String {
        var bytes = Array(sql.utf8)
        for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: "$") && isDigit(bytes[index + 1]) {
            bytes[index] = UInt8(ascii: "?")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}
