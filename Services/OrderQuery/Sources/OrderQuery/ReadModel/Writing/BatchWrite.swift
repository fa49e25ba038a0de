import Events
import SQLStore

/// How a fetched batch is written to the read model: the one place this is decided. Every
/// way writes the batch's rows and moves its partitions' stored offsets atomically, under a
/// compare-and-set on where the batch started (`OffsetCompareAndSet.swift`).
///
/// - `oneStatement` (PostgreSQL, a live trickle of commands): one round trip
///   (`OneStatementWrite.swift`).
/// - `transaction`: one transaction of set-based statements (`TransactionWrite.swift`): every
///   small batch on SQLite, and on PostgreSQL a batch the one statement cannot take.
/// - `pipelined` (a backlog, e.g. a rebuild): folded before it is stored, and stored while the
///   next one is folded; on PostgreSQL by COPY, overlapping the batch before
///   (`PipelinedWrite.swift`, driven by `ProjectionRunner`).
enum BatchWrite: Equatable, Sendable {
    case oneStatement
    case transaction
    case pipelined

    /// The most records and orders one statement takes: bound parameters stay far below
    /// PostgreSQL's 65,535, and reading the touched orders first pays off only for few.
    static let oneStatementRecords = 500
    static let oneStatementOrders = 100
    /// PostgreSQL takes at most 65,535 bound parameters per statement. The limits above keep a
    /// statement under it; this is the guard should they change.
    static let oneStatementParameters = 60_000

    /// A backlog: more records than one statement takes, so it is pipelined.
    static func isBacklog(records: Int) -> Bool { records > oneStatementRecords }

    /// How a batch of `records` records touching `orders` orders is written on `dialect`.
    static func choose(records: Int, orders: Int, dialect: SQLDialect) -> BatchWrite {
        if isBacklog(records: records) { return .pipelined }
        if dialect == .postgres, records > 0, orders <= oneStatementOrders { return .oneStatement }
        return .transaction
    }
}

extension ReadModelStore {
    /// Applies one fetched batch to `generation` atomically, together with the next offset of
    /// every partition it touched, as a compare-and-set on `startOffsets` (the stored offsets
    /// the batch started from). Returns what the batch changed. In one statement when
    /// `BatchWrite` says so (and the statement can take it), otherwise in one transaction: a
    /// backlog comes here only when it could not be folded ahead (its rows could not be read;
    /// the transaction then says why).
    /// `known`: rows the caller knows to be the stored ones (its `OrderRowCache`), which a
    /// small batch need not read.
    public func apply(
        _ records: [LogRecord], to generation: Int64, startOffsets: [Int32: Int64],
        partitionOf: @escaping @Sendable (String) -> Int32, known: [String: OrderRow] = [:]
    ) async throws -> BatchProjection {
        let orderIds = Set(records.compactMap(\.orderId))
        if BatchWrite.choose(records: records.count, orders: orderIds.count, dialect: schema.dialect) == .oneStatement {
            do {
                return try await applyInOneStatement(
                    records, orderIds: orderIds, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
            } catch OneStatementFallback.loadFailed {
                // The generation's tables could not be read (dropped after a swap): the
                // transaction's generation check says why, as a typed refusal.
            } catch OneStatementFallback.tooManyParameters {
                // Nothing was written; the transaction's COPY takes any number of rows.
            }
        }
        return try await applyInTransaction(
            records, orderIds: orderIds, to: generation, startOffsets: startOffsets, partitionOf: partitionOf, known: known)
    }
}
