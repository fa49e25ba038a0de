import Events
@testable import OrderCommand

/// The command side in memory, for the router tests: decides with the real `decide` and
/// `evolve` against orders kept in a dictionary, answers retries from the commands it
/// remembers, and can be told to answer anything else (`scripted`) to reach every branch of
/// the routes. No Kafka: an event is "in the log" the moment it is decided.
actor MemoryCommandExecutor: CommandExecutor {
    private var orders: [String: OrderState] = [:]
    private var answered: [String: (orderId: String, answer: CommandAnswer)] = [:]
    private var nextOffset: Int64 = 0
    /// Answered to every command instead of deciding it, when set.
    var scripted: CommandResult?
    var isReady = true
    var ownerMap = OwnerMap()
    var partitions: [PartitionStatus] = []
    /// Every command the routes handed over, in order.
    private(set) var received: [CommandRequest] = []

    func execute(_ request: CommandRequest) async -> CommandResult {
        received.append(request)
        if let scripted { return scripted }
        if let previous = answered[request.commandId] {
            guard previous.orderId == request.orderId else { return .refused(.idempotencyKeyReuse(orderId: previous.orderId)) }
            return .accepted(previous.answer)
        }
        let state = orders[request.orderId] ?? OrderState()
        if let expected = request.expectedVersion, expected != state.version {
            return .refused(.versionConflict(expected: expected, current: state.version))
        }
        switch decide(request.command, state: state) {
        case .failure(let rejection):
            return .refused(.rejected(rejection))
        case .success(let event):
            let next = evolve(state, event)
            orders[request.orderId] = next
            let created = if case .placed = event { true } else { false }
            let answer = CommandAnswer(orderId: request.orderId, version: next.version, partition: 0, offset: nextOffset, created: created)
            nextOffset += 1
            answered[request.commandId] = (request.orderId, answer)
            return .accepted(answer)
        }
    }

    func script(_ result: CommandResult?) { scripted = result }
    func setReady(_ ready: Bool, partitions: [PartitionStatus] = []) {
        isReady = ready
        self.partitions = partitions
    }
    func setOwnerMap(_ map: OwnerMap) { ownerMap = map }
    func state(of orderId: String) -> OrderState? { orders[orderId] }
}
