import Events
import NIOConcurrencyHelpers
import OrderLog

@testable import Console

/// A log in memory for the router and stream tests: events appended by the test, read as
/// `KafkaLogSource` reads Kafka's (each partition in offset order, from `from`, then what is
/// appended later). `finite` sources end after catching up, so a whole response can be read.
final class MemoryLogSource: LogSource, Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let partitionCount: Int32
    let finite: Bool
    private let state = NIOLockedValueBox(State())

    private struct State {
        var events: [LoggedEvent] = []
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
        var readers = 0
        var unavailable: String?
        var failReading: String?
        var deadLetters: [String: [DeadLetter]] = [:]
    }

    init(partitionCount: Int32 = 3, finite: Bool = false) {
        self.partitionCount = partitionCount
        self.finite = finite
    }

    /// The partition an order lives in, here: the sum of its bytes, modulo the count.
    static func partition(of order: String, count: Int32) -> Int32 {
        Int32(order.utf8.reduce(0) { $0 + Int($1) } % Int(count))
    }

    /// Appends an event of `order` (in its partition, at the next offset) and wakes readers.
    @discardableResult
    func append(order: String, type: String = "OrderPlaced", version: Int64 = 1, inEffect: Bool = true, actor: String? = nil) -> LoggedEvent {
        let partition = Self.partition(of: order, count: partitionCount)
        let (event, waiters) = state.withLockedValue { state -> (LoggedEvent, [CheckedContinuation<Void, Never>]) in
            let offset = Int64(state.events.filter { $0.partition == partition }.count)
            let event = LoggedEvent(
                partition: partition, offset: offset, timestamp: 1_796_515_200_000 + offset, orderId: order, version: version,
                eventType: type, actor: actor, inEffect: inEffect, void: inEffect ? nil : "version \(version), expected 1")
            state.events.append(event)
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return (event, waiters)
        }
        for waiter in waiters { waiter.resume() }
        return event
    }

    /// Readers following now.
    var readers: Int { state.withLockedValue { $0.readers } }

    func makeUnavailable(_ reason: String) { state.withLockedValue { $0.unavailable = reason } }
    func failReading(_ reason: String) { state.withLockedValue { $0.failReading = reason } }

    func topic() async throws -> LogReader.Topic {
        if let reason = state.withLockedValue({ $0.unavailable }) { throw Failure(description: reason) }
        let count = partitionCount
        return LogReader.Topic(partitionCount: count, partitionOf: { Self.partition(of: $0, count: count) })
    }

    func startOffsets(_ position: LogPosition, partitions: [Int32]) async throws -> [Int32: Int64] {
        let events = state.withLockedValue { $0.events }
        var result: [Int32: Int64] = [:]
        for partition in partitions {
            let inPartition = events.filter { $0.partition == partition }
            switch position {
            case .beginning: break
            case .end: result[partition] = Int64(inPartition.count)
            case .offset(let offset): result[partition] = offset
            case .timestamp(let ms): result[partition] = inPartition.first { $0.timestamp >= ms }?.offset ?? Int64(inPartition.count)
            }
        }
        return result
    }

    func follow(
        _ partitions: [Int32], from: [Int32: Int64],
        caughtUp: () async throws -> Void, handle: (LoggedEvent) async throws -> Void
    ) async throws {
        state.withLockedValue { $0.readers += 1 }
        defer { state.withLockedValue { $0.readers -= 1 } }
        if let reason = state.withLockedValue({ $0.failReading }) { throw Failure(description: reason) }
        var handled = 0
        var caught = false
        while true {
            let events = state.withLockedValue { $0.events }
            while handled < events.count {
                let event = events[handled]
                handled += 1
                guard partitions.contains(event.partition), event.offset >= from[event.partition] ?? 0 else { continue }
                try await handle(event)
            }
            if !caught {
                caught = true
                try await caughtUp()
                if finite { return }
            }
            try await waitForMore(than: handled)
        }
    }

    /// The order's events, each in effect moving it one version on with its type's status.
    func timeline(of orderId: String) async throws -> OrderTimeline {
        if let reason = state.withLockedValue({ $0.unavailable }) { throw Failure(description: reason) }
        let partition = Self.partition(of: orderId, count: partitionCount)
        var state = OrderState()
        var steps: [OrderTimeline.Step] = []
        for event in self.state.withLockedValue({ $0.events }) where event.orderId == orderId {
            if event.inEffect {
                state.version = event.version ?? state.version + 1
                state.customerId = "alice"
                state.currency = "EUR"
                state.status = Self.status(after: event.eventType ?? "") ?? state.status
            }
            steps.append(OrderTimeline.Step(event: event, state: state))
        }
        return OrderTimeline(orderId: orderId, partition: partition, steps: steps)
    }

    static func status(after eventType: String) -> OrderStatus? {
        switch eventType {
        case "OrderPlaced": .placed
        case "OrderConfirmed": .confirmed
        case "OrderShipped": .shipped
        case "OrderDelivered": .delivered
        case "OrderCancelled": .cancelled
        default: nil
        }
    }

    /// Adds an entry to the dead-letter topic `topic` (the newest).
    func deadLetter(_ letter: DeadLetter, topic: String = "orders.notifications.dlq") {
        state.withLockedValue { $0.deadLetters[topic, default: []].append(letter) }
    }

    func deadLetters(topic: String, count: Int) async throws -> [DeadLetter] {
        if let reason = state.withLockedValue({ $0.unavailable }) { throw Failure(description: reason) }
        guard let letters = state.withLockedValue({ $0.deadLetters[topic] }) else { throw Failure(description: "no topic \(topic)") }
        return Array(letters.reversed().prefix(count))
    }

    func endOffsets() async throws -> [Int32: Int64] {
        if let reason = state.withLockedValue({ $0.unavailable }) { throw Failure(description: reason) }
        let events = state.withLockedValue { $0.events }
        return Dictionary(uniqueKeysWithValues: (0..<partitionCount).map { p in (p, Int64(events.filter { $0.partition == p }.count)) })
    }

    /// Returns once there are more than `count` events; throws when the task is cancelled.
    private func waitForMore(than count: Int) async throws {
        let id = state.withLockedValue { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.events.count > count || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        try Task.checkCancellation()
    }
}
