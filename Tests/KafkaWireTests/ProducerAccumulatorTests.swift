import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// The accumulator, memory budget and error policy without any I/O.
@Suite("Producer accumulator and sequence bookkeeping")
struct ProducerAccumulatorTests {
    static func accumulator(
        batchSize: Int = 1024, memory: Int = 1 << 20, idempotence: Bool = true, linger: Duration = .milliseconds(5)
    ) -> RecordAccumulator {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [BrokerAddress(host: "h", port: 1)])
        configuration.batchSize = batchSize
        configuration.idempotence = idempotence
        configuration.linger = linger
        var accumulator = RecordAccumulator(settings: .init(configuration), bufferMemory: memory)
        accumulator.updateTopic("t", leaders: [1, 1, 2])
        if idempotence { _ = accumulator.adoptIdentity(.init(producerID: 7, epoch: 0)) }
        return accumulator
    }

    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @discardableResult
    static func append(_ accumulator: inout RecordAccumulator, partition: Int32, bytes: Int = 100, now: NIODeadline = t0) -> DeliveryHandle? {
        let record = ProducerRecord(topic: "t", value: ByteBuffer(repeating: 1, count: bytes), partition: partition)
        guard case .appended(let handle, _) = accumulator.append(record, timestamp: 1, now: now) else { return nil }
        return handle
    }

    @Test func unknownTopicAsksForMetadata() {
        var accumulator = Self.accumulator()
        guard case .needsMetadata = accumulator.append(ProducerRecord(topic: "other", value: "v"), timestamp: 1, now: Self.t0) else {
            Issue.record("expected needsMetadata")
            return
        }
    }

    @Test func batchesFillToBatchSizeThenSeal() {
        var accumulator = Self.accumulator(batchSize: 1024)
        var handles: [DeliveryHandle] = []
        for _ in 0..<20 { handles.append(Self.append(&accumulator, partition: 0)!) }
        let batches = Set(handles.map { ObjectIdentifier($0.batch) })
        #expect(batches.count > 1)
        #expect(handles.allSatisfy { $0.batch.builder.uncompressedSize <= 1024 || $0.batch.encoded != nil })
        // Indexes restart in each batch.
        #expect(handles.first?.index == 0)
    }

    @Test func lingerHoldsAPartialBatchUntilItsDeadline() {
        var accumulator = Self.accumulator()
        Self.append(&accumulator, partition: 0)
        let early = accumulator.drain(now: Self.t0 + .milliseconds(1))
        #expect(early.requests.isEmpty)
        #expect(early.nextWakeup == Self.t0 + .milliseconds(5))
        let late = accumulator.drain(now: Self.t0 + .milliseconds(5))
        #expect(late.requests[1]?.count == 1)
    }

    @Test func flushSendsAtOnce() {
        var accumulator = Self.accumulator()
        Self.append(&accumulator, partition: 2)
        accumulator.flushes = 1
        let drain = accumulator.drain(now: Self.t0)
        #expect(drain.requests[2]?.count == 1)
    }

    @Test func oneRequestPerLeaderWithOneBatchPerPartitionAndSequencesInOrder() {
        var accumulator = Self.accumulator(batchSize: 512)
        for _ in 0..<30 { Self.append(&accumulator, partition: 0) }
        Self.append(&accumulator, partition: 1)
        let drain = accumulator.drain(now: Self.t0 + .seconds(1))
        let toLeader1 = drain.requests[1] ?? []
        #expect(toLeader1.map(\.partition).sorted() == [0, 1])
        #expect(toLeader1.allSatisfy { $0.producerID == 7 && $0.producerEpoch == 0 })
        let first = toLeader1.first { $0.partition == 0 }!
        #expect(first.baseSequence == 0)
        // The next request to the same leader carries partition 0's next batch and sequence.
        let next = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1] ?? []
        #expect(next.first?.baseSequence == Int32(first.recordCount))
    }

    @Test func inFlightRequestsPerLeaderAreCapped() {
        var accumulator = Self.accumulator(batchSize: 200)
        for _ in 0..<20 { Self.append(&accumulator, partition: 0) }
        var requests = 0
        while !accumulator.drain(now: Self.t0 + .seconds(1)).requests.isEmpty { requests += 1 }
        #expect(requests == 5)
        accumulator.requestFinished(node: 1)
        let after = accumulator.drain(now: Self.t0 + .seconds(1))
        #expect(after.requests[1]?.count == 1)
    }

    @Test func retriedBatchGoesOutAgainFirstAfterInFlightOnesReturn() {
        var accumulator = Self.accumulator(batchSize: 200)
        for _ in 0..<6 { Self.append(&accumulator, partition: 0) }
        let a = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        let b = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        #expect(b.baseSequence > a.baseSequence)
        // a fails retriably: nothing more for the partition until b is back.
        accumulator.requestFinished(node: 1)
        accumulator.retry(a, notBefore: Self.t0)
        let held = accumulator.drain(now: Self.t0 + .seconds(1))
        #expect(held.requests.isEmpty)
        accumulator.requestFinished(node: 1)
        accumulator.retry(b, notBefore: Self.t0)
        let again = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]!
        #expect(again[0] === a)
        #expect(again[0].baseSequence == a.baseSequence)
        let then = accumulator.drain(now: Self.t0 + .seconds(1))
        #expect(then.requests[1]![0] === b)
    }

    @Test func sequenceErrorOnlyCountsForTheNextExpectedBatch() {
        var accumulator = Self.accumulator(batchSize: 200)
        for _ in 0..<4 { Self.append(&accumulator, partition: 0) }
        let a = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        let b = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        #expect(accumulator.isNextExpected(a))
        #expect(!accumulator.isNextExpected(b))
        _ = accumulator.finish(a, acknowledged: true)
        #expect(accumulator.isNextExpected(b))
    }

    @Test func epochBumpResequencesWaitingBatchesAndFailsUncertainOnes() {
        var accumulator = Self.accumulator(batchSize: 200)
        for _ in 0..<4 { Self.append(&accumulator, partition: 0) }
        let a = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        let b = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        accumulator.requestFinished(node: 1)
        accumulator.requestFinished(node: 1)
        a.outcomeUnknown = true
        accumulator.retry(a, notBefore: Self.t0)
        accumulator.retry(b, notBefore: Self.t0)
        let uncertain = accumulator.adoptIdentity(.init(producerID: 7, epoch: 1))
        #expect(uncertain.map(\.id) == [a.id])
        _ = accumulator.finish(a, acknowledged: false, wasInFlight: false)
        let resent = accumulator.drain(now: Self.t0 + .seconds(1)).requests[1]![0]
        #expect(resent === b)
        #expect(resent.baseSequence == 0)
        #expect(resent.producerEpoch == 1)
    }

    @Test func memoryBudgetGrantsWaitersInOrder() {
        var budget = MemoryBudget(limit: 100)
        let took60 = budget.tryReserve(60)
        let took50 = budget.tryReserve(50)
        #expect(took60 && !took50)
        let granted = Granted()
        let first = budget.reserveOrWait(50) { _ in granted.add(1) }
        let second = budget.reserveOrWait(10) { _ in granted.add(2) }
        #expect(first != nil && second != nil)
        // A newcomer cannot jump the queue even though 10 bytes would fit.
        let jumped = budget.tryReserve(10)
        #expect(!jumped)
        for waiter in budget.release(60) { waiter.grant(true) }
        #expect(granted.order == [1, 2])
        #expect(budget.used == 60)
        let cancelled = budget.cancel(first!)
        #expect(cancelled == nil)
    }

    @Test func recordsLargerThanTheRequestLimitFail() {
        var accumulator = Self.accumulator()
        let record = ProducerRecord(topic: "t", value: ByteBuffer(repeating: 0, count: 2 << 20), partition: 0)
        guard case .failed(let error) = accumulator.append(record, timestamp: 1, now: Self.t0) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .broker(.messageTooLarge))
    }

    @Test func keylessStickyPlacementMovesOnAfterABatch() {
        var placement = KeylessPlacement()
        var counter = 0
        let random = { () -> Int in
            counter += 1
            return counter
        }
        let partitions = (0..<40).map { _ in placement.next(.murmur2Random, partitionCount: 4, size: 100, switchAfter: 1000, random: random) }
        #expect(Set(partitions[0..<10]).count == 1)
        #expect(partitions[10] != partitions[9])
        var roundRobin = KeylessPlacement()
        let turns = (0..<5).map { _ in roundRobin.next(.roundRobin, partitionCount: 3, size: 1, switchAfter: 1, random: random) }
        #expect(turns == [0, 1, 2, 0, 1])
    }

    @Test func errorPolicyFollowsTheJavaClient() {
        typealias P = ProduceErrorPolicy
        #expect(P.outcome(for: .none, message: nil, idempotent: true, isNextExpected: true, canRetry: true) == .acknowledged)
        #expect(P.outcome(for: .duplicateSequenceNumber, message: nil, idempotent: true, isNextExpected: true, canRetry: true) == .acknowledged)
        #expect(P.outcome(for: .notLeaderOrFollower, message: nil, idempotent: true, isNextExpected: true, canRetry: true) == .retry(refreshMetadata: true))
        #expect(P.outcome(for: .requestTimedOut, message: nil, idempotent: true, isNextExpected: true, canRetry: true) == .retry(refreshMetadata: false))
        #expect(P.outcome(for: .outOfOrderSequenceNumber, message: nil, idempotent: true, isNextExpected: false, canRetry: true) == .retry(refreshMetadata: false))
        guard case .bumpEpoch(false, _) = P.outcome(for: .outOfOrderSequenceNumber, message: nil, idempotent: true, isNextExpected: true, canRetry: true) else {
            Issue.record("out of order on the next expected batch bumps the epoch and fails it")
            return
        }
        guard case .bumpEpoch(true, _) = P.outcome(for: .unknownProducerId, message: nil, idempotent: true, isNextExpected: true, canRetry: true) else {
            Issue.record("unknown producer id bumps the epoch and retries")
            return
        }
        guard case .fail(let fenced) = P.outcome(for: .producerFenced, message: nil, idempotent: true, isNextExpected: true, canRetry: true) else {
            Issue.record("fenced fails")
            return
        }
        #expect(fenced.code == .fenced)
        guard case .fail(let tooLarge) = P.outcome(for: .messageTooLarge, message: "x", idempotent: true, isNextExpected: true, canRetry: true) else {
            Issue.record("non-retriable fails")
            return
        }
        #expect(!tooLarge.isRetriable)
        guard case .fail = P.outcome(for: .notLeaderOrFollower, message: nil, idempotent: true, isNextExpected: true, canRetry: false) else {
            Issue.record("no retries left fails")
            return
        }
    }

    @Test func configurationValidation() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: [BrokerAddress(host: "h", port: 1)])
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.acks = .leader
        #expect(throws: KafkaError.self) { try configuration.validate() }
        configuration.idempotence = false
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.maxInFlightRequestsPerConnection = 0
        #expect(throws: KafkaError.self) { try configuration.validate() }
    }
}

private final class Granted: @unchecked Sendable {
    var order: [Int] = []
    func add(_ value: Int) { order.append(value) }
}
