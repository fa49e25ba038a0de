/// What the HTTP routes need of the command side: run a command, and say how the owned
/// partitions stand. `CommandProcessor` is the real one (Kafka behind it); the router tests use
/// one in memory, so every route is tested without a broker.
public protocol CommandExecutor: Sendable {
    /// Runs a command on the partition that owns its order (answering `.notOwner` when this
    /// instance does not own it).
    func execute(_ request: CommandRequest) async -> CommandResult
    /// In the group, and every owned partition folded to its end and not stopped.
    var isReady: Bool { get async }
    var ownerMap: OwnerMap { get async }
    var partitions: [PartitionStatus] { get async }
}

extension CommandProcessor: CommandExecutor {}
