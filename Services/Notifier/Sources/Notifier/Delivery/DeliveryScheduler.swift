/// The delivery queues behind an actor: the fold and the sweep add deliveries, the workers
/// take them, and a retry's timer wakes its lane.
actor DeliveryScheduler {
    private var queues = DeliveryQueues()
    private var waiters: [CheckedContinuation<PendingDelivery?, Never>] = []
    private var timers: [DeliveryQueues.RoundKey: Task<Void, Never>] = [:]
    private var stopped = false

    var queuedCount: Int { queues.queuedCount }
    var isStopped: Bool { stopped }

    func add(_ deliveries: [PendingDelivery]) {
        guard !stopped else { return }
        for delivery in deliveries { queues.add(delivery) }
        handOut()
    }

    /// The next delivery to make; waits while none is ready; nil once stopped.
    func next() async -> PendingDelivery? {
        if stopped { return nil }
        if let delivery = queues.take() { return delivery }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func done(_ delivery: PendingDelivery) {
        queues.done(delivery)
        handOut()
    }

    /// Tries `delivery` (with its attempts counted) again after `delay`.
    func retry(_ delivery: PendingDelivery, after delay: Duration) {
        queues.retryLater(delivery)
        let round = DeliveryQueues.RoundKey(key: delivery.key, round: delivery.round)
        timers[round] = Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.wake(delivery, round: round)
        }
    }

    private func wake(_ delivery: PendingDelivery, round: DeliveryQueues.RoundKey) {
        timers[round] = nil
        queues.wake(delivery)
        handOut()
    }

    func drop(partitions: Set<Int32>) {
        queues.drop(partitions: partitions)
    }

    /// Ends every wait: workers get nil, timers are cancelled.
    func stop() {
        stopped = true
        for timer in timers.values { timer.cancel() }
        timers = [:]
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume(returning: nil) }
    }

    private func handOut() {
        while !waiters.isEmpty, let delivery = queues.take() {
            waiters.removeFirst().resume(returning: delivery)
        }
    }
}
