import Events
import Foundation
import KafkaWire

/// One owned partition of `orders.events` as the command side sees it: its orders folded
/// with the fold rule, the commands in effect (for idempotency), and the events appended but
/// not yet read back. A value type with no I/O: the service feeds it records and commands and
/// carries out what it answers.
///
/// Consistency (docs/architecture.md, "The log decides"): a command is decided only against the
/// order's state *read back from the log*, never against an event still in flight. So an
/// order has at most one event in flight; other commands on it wait (`busy`), while commands
/// on other orders of the partition are pipelined. An event stays in flight until it is read
/// back, however long its append takes: while its outcome is unknown, nothing (not even a
/// retry of the same command) is decided on the order. An event that comes back void was
/// beaten by a foreign writer and answers `write-conflict`, unless its command is in effect
/// through an earlier record (see `resolveVoid`); nothing decided on top of it can exist.
public struct PartitionLedger: Sendable {
    public struct InFlight: Sendable {
        public var request: CommandRequest
        public var event: RecordedEvent
    }

    /// What to do with a submitted command.
    public enum Decision: Sendable {
        /// The command is in effect already (a retry): its first answer. Nothing to append.
        case answered(CommandAnswer)
        case refused(CommandRefusal)
        /// The order has an event in flight (maybe this very command's): wait for it to be
        /// read back (or abandoned), then submit again.
        case busy(waitingFor: UUID)
        /// Append this event, then wait for its read-back.
        case append(RecordedEvent)
    }

    /// What folding one record came to, for the service: the event itself stays in the ledger
    /// (handing it back was a copy of it per record, on the fold of a taken-over partition).
    public enum FoldOutcome: Sendable, Hashable {
        case inEffect
        case void(VoidReason)
        case unreadable(EventDecodingError)
    }

    /// What reading one record back settled.
    public enum Resolution: Sendable, Hashable {
        case inEffect(CommandAnswer)
        /// The event is void: a foreign event took its version first.
        case writeConflict(VoidReason)
    }

    public let partition: Int32
    public let rules: OrderRules
    private(set) var fold: PartitionFold
    private(set) var commands: CommandIndex
    /// The next offset to fold.
    public private(set) var nextOffset: Int64 = 0
    private var inFlight: [UUID: InFlight] = [:]
    private var inFlightByOrder: [String: UUID] = [:]
    private var inFlightByCommand: [String: UUID] = [:]
    /// Where the fold at assignment ends (see `expectFold(to:)`); nil once room was made for it.
    private var foldTarget: Int64?
    /// Where the fold at assignment ends, while the commands it remembers wait to be placed
    /// in the index all at once (`CommandIndex.deferPlacing()`).
    private var placeCommandsAt: Int64?
    /// Set when a record that would be in effect cannot be read: the partition must not be
    /// folded past it, nor serve commands.
    public private(set) var stopped: (offset: Int64, error: EventDecodingError)?

    public init(partition: Int32, rules: OrderRules, idempotencyWindow: Duration, partitionOf: @escaping @Sendable (String) -> Int32) {
        self.partition = partition
        self.rules = rules
        self.fold = PartitionFold(partition: partition, partitionOf: partitionOf)
        self.commands = CommandIndex(windowMilliseconds: idempotencyWindow.wholeMilliseconds)
    }

    public func state(of orderId: String) -> OrderState { fold.state(of: orderId) }
    public var orderCount: Int { fold.orderCount }
    public var voidCount: Int { fold.voidCount }
    public var inFlightCount: Int { inFlight.count }
    public var rememberedCommands: Int { commands.count }

    // MARK: Commands

    /// Decides a command against the order as read back. `eventId` and `now` are the new
    /// event's identity and time if one is appended.
    public mutating func submit(_ request: CommandRequest, now: Timestamp, eventId: UUID) -> Decision {
        placeCommands(now: now)
        let state = fold.state(of: request.orderId)
        // Another customer's order is answered as missing, before anything else says it exists.
        if let customer = request.customerScope, state.exists, state.customerId != customer {
            return .refused(.rejected(.orderNotFound))
        }
        if let previous = commands[request.commandId] {
            guard previous.fingerprint == CommandFingerprint(orderId: request.orderId, command: request.command) else {
                return .refused(.idempotencyKeyReuse(orderId: previous.answer.orderId))
            }
            return .answered(previous.answer)
        }
        if let waiting = inFlightByCommand[request.commandId] ?? inFlightByOrder[request.orderId] {
            return .busy(waitingFor: waiting)
        }
        if let expected = request.expectedVersion, expected != state.version {
            return .refused(.versionConflict(expected: expected, current: state.version))
        }
        switch decide(request.command, state: state, rules: rules) {
        case .failure(let rejection):
            return .refused(.rejected(rejection))
        case .success(let event):
            let recorded = RecordedEvent(
                event: event, orderId: request.orderId, version: state.version + 1, commandId: request.commandId,
                occurredAt: now, eventId: eventId, traceparent: request.traceparent, actor: request.actor)
            inFlight[eventId] = InFlight(request: request, event: recorded)
            inFlightByOrder[request.orderId] = eventId
            inFlightByCommand[request.commandId] = eventId
            return .append(recorded)
        }
    }

    /// Stops waiting for an event that cannot be in the log (the producer refused to take it),
    /// or that was read back: the order takes commands again. Never for an event whose append
    /// may still land (a deadline passed, a delivery failed): deciding the order again then
    /// could answer a conflict for a command that is in effect.
    public mutating func abandon(_ eventId: UUID) {
        guard let entry = inFlight.removeValue(forKey: eventId) else { return }
        if inFlightByOrder[entry.event.envelope.orderId] == eventId { inFlightByOrder[entry.event.envelope.orderId] = nil }
        if inFlightByCommand[entry.request.commandId] == eventId { inFlightByCommand[entry.request.commandId] = nil }
    }

    /// The events still waiting for read-back (answered `outcome-unknown` when the partition goes).
    public var inFlightEventIds: [UUID] { Array(inFlight.keys) }

    // MARK: Reading back

    /// Folds the record at `offset` (records must come in offset order). Returns the outcome,
    /// and the resolution of an in-flight command of ours it settles.
    public mutating func fold(_ record: some EventRecordBytes, offset: Int64, now: Timestamp) -> (FoldOutcome, (UUID, Resolution)?) {
        precondition(stopped == nil, "a stopped partition is not folded further")
        let verdict = fold.fold(record)
        nextOffset = offset + 1
        switch verdict {
        case .inEffect(let recorded):
            let envelope = recorded.envelope
            let answer = CommandAnswer(
                orderId: envelope.orderId, version: envelope.aggregateVersion, partition: partition, offset: offset,
                created: envelope.eventType == .orderPlaced)
            if commands.isWithinWindow(envelope.occurredAt, now: now) {
                if let target = foldTarget {
                    // The first command to remember: every record after it is (nearly) as
                    // recent. None left to fold (it came after the fold's end): no room made.
                    foldTarget = nil
                    if target > offset {
                        commands.reserveCapacity(forMore: Int(min(target - offset, 1 << 24)))
                        commands.deferPlacing()
                        placeCommandsAt = target
                    }
                }
                commands.record(envelope.commandId, .init(
                    answer: answer, fingerprint: CommandFingerprint(orderId: envelope.orderId, event: recorded.event),
                    occurredAt: envelope.occurredAt))
            }
            if let end = placeCommandsAt, nextOffset >= end { placeCommands(now: now) }
            commands.prune(now: now)
            if !inFlight.isEmpty, inFlight[envelope.eventId] != nil {
                abandon(envelope.eventId)
                return (.inEffect, (envelope.eventId, .inEffect(answer)))
            }
            return (.inEffect, nil)
        case .void(let reason):
            // Ours? Only the event id is needed, and only when something is in flight.
            if !inFlight.isEmpty, let id = record.header(EventHeader.eventId).flatMap(UUID.init(uuidString:)),
               let entry = inFlight[id] {
                abandon(id)
                return (.void(reason), (id, resolveVoid(entry.request, reason: reason, now: now)))
            }
            return (.void(reason), nil)
        case .unreadable(let error):
            nextOffset = offset
            stopped = (offset, error)
            return (.unreadable(error), nil)
        }
    }

    /// What a void read-back of our own event answers. Void is a conflict only when the
    /// command itself is not in effect: its id may be, through an earlier record of the same
    /// command (an attempt whose outcome was unknown to whoever decided this one: another
    /// instance, this one before a restart or a revocation, or a copy appended again after a
    /// failed delivery). The log decides, so that record's answer is the command's answer.
    private mutating func resolveVoid(_ request: CommandRequest, reason: VoidReason, now: Timestamp) -> Resolution {
        placeCommands(now: now)
        if let previous = commands[request.commandId],
           previous.fingerprint == CommandFingerprint(orderId: request.orderId, command: request.command) {
            return .inEffect(previous.answer)
        }
        return .writeConflict(reason)
    }

    /// Says that the partition is about to be folded up to `target` (its high watermark at
    /// assignment). The command index then makes room, once, for every record left when it
    /// remembers its first command, instead of growing about 20 times through a partition of
    /// a million events (a tenth of that fold). Not before: the commands of a log older than
    /// the idempotency window are never remembered, and need no room.
    public mutating func expectFold(to target: Int64) {
        foldTarget = target > nextOffset ? target : nil
    }

    /// Places the commands remembered while folding to the end of the partition (nothing to
    /// do afterwards): before any lookup, and when the fold reaches its end.
    private mutating func placeCommands(now: Timestamp) {
        guard placeCommandsAt != nil else { return }
        placeCommandsAt = nil
        commands.placeDeferred()
        commands.prune(now: now)
    }

    /// Jumps over offsets that hold no record (transaction markers, compacted gaps): the
    /// consumer's position after a fetch can pass the last record's offset + 1.
    public mutating func advance(to offset: Int64) {
        if stopped == nil, offset > nextOffset { nextOffset = offset }
    }
}


extension PartitionLedger {
    /// The command id of an event in flight (nil when it is not).
    public func inFlightCommand(of eventId: UUID) -> String? { inFlight[eventId]?.request.commandId }

    /// An event still in flight (appended, or being appended, and not read back yet), to be
    /// appended again after a failed delivery; nil once it was read back or abandoned.
    public func inFlightEvent(_ eventId: UUID) -> RecordedEvent? { inFlight[eventId]?.event }
}
