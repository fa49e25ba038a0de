import SQLStore
import Events

/// A generation of the read model: one set of data tables folded from the log.
public struct Generation: Sendable, Hashable {
    public enum Status: String, Sendable, Codable {
        /// Serving queries and following the log.
        case live
        /// A rebuild from the beginning of the log; becomes live when it has caught up.
        case building
        /// A read model as of a position, being built; then `snapshot`, kept beside the live one.
        case snapshotBuilding = "snapshot-building"
        case snapshot
        /// Replaced by a rebuild; its tables are dropped.
        case retired
        case failed

        /// Writable by a projection: the live generation, a rebuild, a snapshot being built.
        var acceptsEvents: Bool { [.live, .building, .snapshotBuilding].contains(self) }
        /// Readable by queries.
        var servesQueries: Bool { [.live, .snapshot].contains(self) }
    }

    public var generation: Int64
    public var status: Status
    public var createdAt: Timestamp
    public var swappedAt: Timestamp?
    /// For a snapshot: per partition, the offset it stops before.
    public var upTo: [Int32: Int64]?
    public var eventsApplied: Int64
    public var targetEvents: Int64?
    public var startedAt: Timestamp
    public var updatedAt: Timestamp
    public var error: String?

}
