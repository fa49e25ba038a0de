/// Read-your-writes without the database, when the live projection of this instance has the
/// answer in hand: the row it last stored (committed) for the order, in the generation reads
/// take as live, and the read's condition shown to hold by that alone.
///
/// - `?position=P:O`: this instance's projection has stored partition P past O (its board
///   is published after each commit, and the row is kept before it). Any snapshot taken now
///   has the projection past O and this row (or, if another batch just committed, a newer
///   one: the read is linearised just before that commit).
/// - `?minVersion=N`: the row has at least version N.
/// - No condition, or an explicit `?generation=`: the database answers, so a plain read is
///   never older than what the database holds, even from an instance that lost the
///   partition and has not been told yet.
///
/// The stored rows are the ones the database holds, value for value
/// (`ReadModelStoreTests.smallBatchesAndOneBigBatchBuildTheSameReadModel` compares them).
enum StoredRowRead {
    static func answer(
        row stored: (generation: Int64, row: OrderRow)?, liveGeneration isLive: (Int64) -> Bool,
        parameters: ReadParameters, storedNext: (Int32) -> Int64?
    ) -> OrderRow? {
        guard parameters.generation == nil, let condition = parameters.condition, let stored, isLive(stored.generation) else {
            return nil
        }
        switch condition {
        case .position(let partition, let offset):
            guard let next = storedNext(partition), next > offset else { return nil }
            return stored.row
        case .minVersion(let version):
            return stored.row.state.version >= version ? stored.row : nil
        }
    }
}
