import Foundation

/// How one command's wait for an event ended.
enum WaitEnd: Sendable, Hashable {
    /// The event (or the command's earlier record) was read back.
    case resolved(PartitionLedger.Resolution)
    /// The command's deadline passed first; the event may still land.
    case deadline
    /// The partition was revoked or lost before the event was read back.
    case partitionGone
    /// The event never reached the producer, so it cannot be in the log.
    case abandoned
}

/// The commands waiting for their events to be read back: who waits for which event, until
/// when, and the ends that arrive while a command is still handing its event to the producer.
///
/// A value that performs no I/O, in the manner of KafkaWire's `InFlightRequests`: the
/// processor feeds it what happens (a wait starts, an event ends, time passes) and resumes the
/// waiters it returns, so every rule here is testable without Kafka or a clock. `Waiter` is
/// whatever the processor needs to resume a command (a continuation; a name in tests).
struct CommandWaits<Waiter> {
    typealias Instant = ContinuousClock.Instant

    /// What to do when a command asks to wait.
    enum WaitAction {
        /// Suspend: the waiter is resumed by `end(_:with:)` or `expire(now:)`.
        case suspend
        /// Its own event already ended (read back while it was being appended): resume at once.
        case resume(WaitEnd)
    }

    /// Per event, its waiters in the order they began (ids only grow, so appending keeps it).
    private var waiters: [UUID: [(id: Int, waiter: Waiter)]] = [:]
    private var deadlines: [Int: (eventId: UUID, at: Instant)] = [:]
    private var nextWaiterID = 0
    /// Events between being decided and their command waiting for them (it is inside the
    /// producer's `enqueue`, a suspension), with the end that arrived meanwhile, if any.
    private var appending: [UUID: WaitEnd?] = [:]

    /// Commands waiting (the tests check it).
    var count: Int { deadlines.count }
    var isEmpty: Bool { deadlines.isEmpty }
    /// The earliest deadline of a waiting command, when the next `expire` is due.
    var nextDeadline: Instant? { deadlines.values.map(\.at).min() }

    /// The command that decided `eventId` is about to hand it to the producer: an end that
    /// arrives before it waits is kept for it.
    mutating func appending(_ eventId: UUID) {
        appending[eventId] = .some(nil)
    }

    /// The producer refused the event: nothing is kept for it any more.
    mutating func appendFailed(_ eventId: UUID) {
        appending[eventId] = nil
    }

    /// The command that appended `eventId` waits for it until `deadline`: it gets the end kept
    /// while it was appending, if one came.
    mutating func waitForAppended(_ waiter: Waiter, eventId: UUID, until deadline: Instant) -> WaitAction {
        if let kept = appending.removeValue(forKey: eventId), let end = kept {
            return .resume(end)
        }
        return wait(waiter, for: eventId, until: deadline)
    }

    /// A command waits for another's event (or its own first attempt's) until `deadline`.
    mutating func wait(_ waiter: Waiter, for eventId: UUID, until deadline: Instant) -> WaitAction {
        let id = nextWaiterID
        nextWaiterID += 1
        waiters[eventId, default: []].append((id, waiter))
        deadlines[id] = (eventId, deadline)
        return .suspend
    }

    /// `eventId` ended (read back, abandoned, its partition gone): returns the waiters to resume
    /// with `end`, and keeps it for the command still appending it.
    mutating func end(_ eventId: UUID, with end: WaitEnd) -> [Waiter] {
        if appending[eventId] != nil { appending[eventId] = .some(end) }
        guard let waiting = waiters.removeValue(forKey: eventId) else { return [] }
        for entry in waiting { deadlines[entry.id] = nil }
        return waiting.map(\.waiter)
    }

    /// The waiters whose deadline is at or before `now`, to resume with `.deadline`. Their
    /// events stay as they are: whoever waits for them next still learns their end.
    mutating func expire(now: Instant) -> [Waiter] {
        var expired: [(Int, Waiter)] = []
        for (id, entry) in deadlines where entry.at <= now {
            deadlines[id] = nil
            guard let index = waiters[entry.eventId]?.firstIndex(where: { $0.id == id }) else { continue }
            expired.append((id, waiters[entry.eventId]!.remove(at: index).waiter))
            if waiters[entry.eventId]?.isEmpty == true { waiters[entry.eventId] = nil }
        }
        return expired.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
