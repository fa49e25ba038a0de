import SQLStore
import Testing

@testable import OrderQuery

/// The one place that decides how a batch is written.
@Suite struct BatchWriteTests {
    @Test func aLiveTrickleOnPostgreSQLIsOneStatement() {
        #expect(BatchWrite.choose(records: 1, orders: 1, dialect: .postgres) == .oneStatement)
        #expect(BatchWrite.choose(records: 500, orders: 100, dialect: .postgres) == .oneStatement)
    }

    @Test func tooManyOrdersForOneStatementTakeATransaction() {
        #expect(BatchWrite.choose(records: 300, orders: 101, dialect: .postgres) == .transaction)
    }

    @Test func everySmallBatchOnSQLiteIsATransaction() {
        #expect(BatchWrite.choose(records: 1, orders: 1, dialect: .sqlite) == .transaction)
        #expect(BatchWrite.choose(records: 500, orders: 100, dialect: .sqlite) == .transaction)
    }

    @Test func anEmptyBatchIsNeverOneStatement() {
        #expect(BatchWrite.choose(records: 0, orders: 0, dialect: .postgres) == .transaction)
    }

    @Test(arguments: [SQLDialect.postgres, .sqlite])
    func aBacklogIsPipelinedOnEitherDatabase(dialect: SQLDialect) {
        #expect(BatchWrite.isBacklog(records: 501))
        #expect(!BatchWrite.isBacklog(records: 500))
        #expect(BatchWrite.choose(records: 501, orders: 1, dialect: dialect) == .pipelined)
        #expect(BatchWrite.choose(records: 100_000, orders: 50_000, dialect: dialect) == .pipelined)
    }
}
