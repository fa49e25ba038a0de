import DequeModule

/// Which delivery may go next: a value with no I/O. Deliveries wait in lanes, one per order
/// and sink, in version order; a lane hands out its head only, and only once the delivery
/// before it is done (delivered or dead-lettered), so one order's notifications arrive in
/// order while a slow or failing order holds up nobody else.
struct DeliveryQueues {
    struct LaneKey: Hashable {
        var orderId: String
        var sink: String
    }

    /// A delivery round: the same event and sink again after a replay's resend is new.
    struct RoundKey: Hashable {
        var key: PendingDelivery.Key
        var round: Int64
    }

    enum LaneState { case ready, busy, waiting }

    struct Lane {
        var partition: Int32
        var queue: Deque<PendingDelivery> = []
        var state: LaneState = .ready
        /// Revoked while busy: dropped when its delivery finishes.
        var dropWhenDone = false
    }

    private(set) var lanes: [LaneKey: Lane] = [:]
    private var ready: Deque<LaneKey> = []
    /// Rounds queued or in flight, and the last ones finished: a delivery is never queued twice.
    private var known: Set<RoundKey> = []
    private var finished: Deque<RoundKey> = []
    let rememberFinished: Int

    init(rememberFinished: Int = 100_000) { self.rememberFinished = rememberFinished }

    var queuedCount: Int { lanes.values.reduce(0) { $0 + $1.queue.count } }

    /// Queues a delivery in its lane, in version order; false if it is queued or was just done.
    @discardableResult
    mutating func add(_ delivery: PendingDelivery) -> Bool {
        let round = RoundKey(key: delivery.key, round: delivery.round)
        guard known.insert(round).inserted else { return false }
        let laneKey = LaneKey(orderId: delivery.orderId, sink: delivery.key.sink)
        var lane = lanes[laneKey] ?? Lane(partition: delivery.partition)
        // Never ahead of a head that is being delivered or waiting for its retry.
        let first = lane.state == .ready ? 0 : 1
        var index = lane.queue.count
        while index > first, Self.order(delivery, before: lane.queue[index - 1]) { index -= 1 }
        lane.queue.insert(delivery, at: index)
        let wasEmpty = lanes[laneKey] == nil
        lanes[laneKey] = lane
        if wasEmpty { ready.append(laneKey) }
        return true
    }

    private static func order(_ a: PendingDelivery, before b: PendingDelivery) -> Bool {
        (a.version, a.round) < (b.version, b.round)
    }

    /// The next delivery to make, if a lane is ready; its lane is busy until `done` or `retry`.
    mutating func take() -> PendingDelivery? {
        while let laneKey = ready.popFirst() {
            guard var lane = lanes[laneKey], lane.state == .ready, let head = lane.queue.first else { continue }
            lane.state = .busy
            lanes[laneKey] = lane
            return head
        }
        return nil
    }

    /// The delivery is finished (delivered or dead-lettered): the lane's next one may go.
    mutating func done(_ delivery: PendingDelivery) {
        remember(RoundKey(key: delivery.key, round: delivery.round))
        let laneKey = LaneKey(orderId: delivery.orderId, sink: delivery.key.sink)
        guard var lane = lanes[laneKey] else { return }
        if lane.queue.first?.key == delivery.key { lane.queue.removeFirst() }
        lane.state = .ready
        if lane.dropWhenDone || lane.queue.isEmpty {
            for left in lane.queue { known.remove(RoundKey(key: left.key, round: left.round)) }
            lanes[laneKey] = nil
        } else {
            lanes[laneKey] = lane
            ready.append(laneKey)
        }
    }

    /// The delivery failed and waits for its retry: the lane waits with it.
    mutating func retryLater(_ delivery: PendingDelivery) {
        let laneKey = LaneKey(orderId: delivery.orderId, sink: delivery.key.sink)
        guard var lane = lanes[laneKey] else { return }
        if lane.dropWhenDone {
            for left in lane.queue { known.remove(RoundKey(key: left.key, round: left.round)) }
            lanes[laneKey] = nil
            return
        }
        if lane.queue.first?.key == delivery.key { lane.queue[lane.queue.startIndex] = delivery }
        lane.state = .waiting
        lanes[laneKey] = lane
    }

    /// The retry's wait is over.
    mutating func wake(_ delivery: PendingDelivery) {
        let laneKey = LaneKey(orderId: delivery.orderId, sink: delivery.key.sink)
        guard var lane = lanes[laneKey], lane.state == .waiting else { return }
        lane.state = .ready
        lanes[laneKey] = lane
        ready.append(laneKey)
    }

    /// The partitions are no longer this instance's: their lanes go (a busy one when its
    /// delivery is done). The new owner loads them from the ledger.
    mutating func drop(partitions: Set<Int32>) {
        for (laneKey, lane) in lanes where partitions.contains(lane.partition) {
            if lane.state == .busy {
                lanes[laneKey]?.dropWhenDone = true
            } else {
                for left in lane.queue { known.remove(RoundKey(key: left.key, round: left.round)) }
                lanes[laneKey] = nil
            }
        }
    }

    private mutating func remember(_ round: RoundKey) {
        finished.append(round)
        if finished.count > rememberFinished, let oldest = finished.popFirst() { known.remove(oldest) }
    }
}
