import KafkaWire

/// The operations of a running notifier: its delivery ledger, consumer and delivery service,
/// and the log's offsets through the admin client.
struct LiveNotifier: NotifierOperations {
    let ledger: DeliveryLedger
    let consumer: NotifierConsumer
    let deliveries: DeliveryService
    let admin: KafkaAdmin
    let configuration: NotifierConfiguration
    let partitionCount: Int32
    let metrics: NotifierMetrics

    var notReadyReason: String? { consumer.notReadyReason }

    func notifications(of orderId: String) async throws -> [OrderNotification] {
        try await ledger.notifications(of: orderId)
    }

    func replay(_ request: ReplayRequest) async throws -> Int {
        try await ledger.replay(request.selection, resend: request.resend, sinks: deliveries.sinkNames)
    }

    func redrive() async throws -> Int {
        try await ledger.redrive(sinks: deliveries.sinkNames)
    }

    func status() async throws -> StatusBody {
        let folded = try await ledger.foldedOffsets()
        let counts = try await ledger.deliveryCounts()
        var ends: [Int32: Int64] = [:]
        var deadLetterRecords: Int64?
        do {
            for offset in try await admin.listOffsets(.latest, topic: configuration.topic) { ends[offset.partition] = offset.offset }
            let dlqEnds = try await admin.listOffsets(.latest, topic: configuration.deadLetterTopic)
            let dlqStarts = try await admin.listOffsets(.earliest, topic: configuration.deadLetterTopic)
            deadLetterRecords = dlqEnds.reduce(0) { $0 + max(0, $1.offset) } - dlqStarts.reduce(0) { $0 + max(0, $1.offset) }
        } catch {
            throw NotifierProblem(.unavailable, "the log's offsets cannot be read: \(error)")
        }
        let owned = deliveries.ownedPartitions
        let partitions = (0..<partitionCount).map { partition in
            let foldedOffset = folded[partition] ?? 0
            let end = ends[partition] ?? foldedOffset
            let count = counts[partition] ?? [:]
            return StatusBody.Partition(
                partition: partition, foldedOffset: foldedOffset, endOffset: end, lag: max(0, end - foldedOffset),
                owned: owned.contains(partition), pending: count[.pending] ?? 0, delivered: count[.delivered] ?? 0,
                deadLettered: count[.deadLettered] ?? 0)
        }
        metrics.lag.record(Double(partitions.filter(\.owned).reduce(0) { $0 + $1.lag }))
        return StatusBody(
            group: configuration.groupID, topic: configuration.topic, partitions: partitions,
            deliveries: .init(
                pending: partitions.reduce(0) { $0 + $1.pending }, delivered: partitions.reduce(0) { $0 + $1.delivered },
                deadLettered: partitions.reduce(0) { $0 + $1.deadLettered }),
            deadLetterTopic: .init(topic: configuration.deadLetterTopic, records: deadLetterRecords ?? 0),
            sinks: deliveries.sinkNames)
    }
}
