/// A statement under construction: every value goes in as a bound parameter (`$n`), never as
/// text, so nothing a client sends can change the SQL.
public struct Statement: Sendable {
    public var sql: String
    public var binds: [SQLValue] = []

    public init(_ sql: String = "") { self.sql = sql }

    /// Binds a value and returns its placeholder.
    public mutating func bind(_ value: SQLValue) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    public mutating func bind(_ value: String) -> String { bind(.text(value)) }
    public mutating func bind(_ value: Int64) -> String { bind(.int(value)) }

    /// `($1, $2, ...)` for a list of values (never empty: callers skip empty lists).
    public mutating func list(_ values: some Sequence<String>) -> String {
        "(" + values.map { bind(.text($0)) }.joined(separator: ", ") + ")"
    }

    /// `($1, $2), ($3, $4), ...`: the rows of a multi-row VALUES.
    public mutating func rows(_ rows: some Sequence<[SQLValue]>) -> String {
        rows.map { "(" + $0.map { bind($0) }.joined(separator: ", ") + ")" }.joined(separator: ", ")
    }

    /// `($1::text, $2::bigint), ...`: the rows of a VALUES that is not an INSERT's own (in a
    /// FROM, or a SELECT feeding an INSERT), where PostgreSQL cannot take the columns' types
    /// from a target and would read a column of nulls as text. `types` has one per column.
    public mutating func rows(_ rows: some Sequence<[SQLValue]>, types: [String]) -> String {
        rows.map { row in
            "(" + zip(row, types).map { value, type in "\(bind(value))::\(type)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
    }

    /// One parameter holding a PostgreSQL array literal (`{"a","b"}`), to cast in SQL
    /// (`$1::text[]`). With `unnest`, a set of any size is one parameter, and the planner
    /// estimates it as a small set (a VALUES list of the same rows, on a table without
    /// statistics yet, got a hash join over the whole table).
    public mutating func array(_ values: some Sequence<String>) -> String {
        var literal = "{"
        var first = true
        for value in values {
            if !first { literal += "," }
            first = false
            literal += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        return bind(.text(literal + "}"))
    }

    public mutating func array(_ values: some Sequence<Int64>) -> String {
        bind(.text("{" + values.map(String.init).joined(separator: ",") + "}"))
    }

    public mutating func append(_ text: String) { sql += text }

    @discardableResult
    public func run(on executor: any SQLExecutor) async throws -> [SQLRow] {
        try await executor.query(sql, binds)
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements (statements stay under the databases'
    /// bound-parameter limits: 32,766 in SQLite, 65,535 in PostgreSQL).
    public func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
