import NIOConcurrencyHelpers
import NIOCore
import OrderLog
import TestSupport
import Testing

@testable import Console

/// A live-log stream over a log in memory: what it writes, when it ends, and what a client
/// that falls behind costs.
@Suite struct LiveLogStreamTests {
    func stream(_ source: MemoryLogSource, capacity: Int = 100, keepAlive: Duration = .seconds(3600)) -> LiveLogStream {
        LiveLogStream(source: source, capacity: capacity, keepAlive: keepAlive)
    }

    @Test func sendsTheBacklogThenCaughtUpThenNewEventsEachWithItsCursor() async throws {
        let source = MemoryLogSource(partitionCount: 2)
        let a = source.append(order: "a")  // partition 1 (97 % 2)
        let b = source.append(order: "b")  // partition 0
        source.append(order: "a", type: "OrderConfirmed", version: 2)
        let received = ReceivedText()
        let task = Task {
            try await stream(source).run(partitions: [0, 1], query: LiveLogQuery(), start: StreamCursor([0: 0, 1: 0])) { received.append($0) }
        }
        try await waitUntil("the backlog and caught-up") { received.frames.contains { $0.event == "caught-up" } }
        source.append(order: "b", type: "OrderConfirmed", version: 2)
        try await waitUntil("the new event") { received.positions.count == 4 }
        task.cancel()
        _ = try? await task.value

        let frames = received.frames
        #expect(frames.first?.retry == 1_000)
        #expect(received.positions == ["\(a.partition):0", "\(b.partition):0", "\(a.partition):1", "\(b.partition):1"])
        let ids = frames.filter { $0.event == "log" }.compactMap(\.id)
        #expect(ids == ["0:0,1:1", "0:1,1:1", "0:1,1:2", "0:2,1:2"], "each id is the cursor after its event")
        #expect(frames.firstIndex(where: { $0.event == "caught-up" }) == 4, "caught-up comes after the three events that were there")
        let first = try #require(frames.first(where: { $0.event == "log" })?.json)
        #expect(first["orderId"] as? String == "a" && first["eventType"] as? String == "OrderPlaced" && first["inEffect"] as? Bool == true)
        #expect(source.readers == 0, "the reading stops with the stream")
    }

    @Test func aStreamThatDoesNotFollowEndsOnceCaughtUp() async throws {
        let source = MemoryLogSource(partitionCount: 2)
        for n in 0..<5 { source.append(order: "o-\(n)") }
        var query = LiveLogQuery()
        query.follow = false
        let received = ReceivedText()
        // The source follows forever; the stream ends by itself, without a cancel.
        let ending = try await stream(source).run(partitions: [0, 1], query: query, start: StreamCursor([0: 0, 1: 0])) { received.append($0) }
        #expect(ending == .caughtUp)
        #expect(received.positions.count == 5)
        #expect(received.frames.last?.event == "caught-up")
        try await waitUntil("the reading stops with the stream") { source.readers == 0 }
    }

    @Test func aStreamResumedFromACursorHasNoGapAndNoRepeat() async throws {
        let source = MemoryLogSource(partitionCount: 2, finite: true)
        for n in 0..<20 { source.append(order: "o-\(n)") }
        let whole = ReceivedText()
        _ = try await stream(source).run(partitions: [0, 1], query: LiveLogQuery(), start: StreamCursor([0: 0, 1: 0])) { whole.append($0) }
        let all = whole.positions
        #expect(all.count == 20)
        // A client that got the first 7 reconnects with the 7th event's id.
        let id = try #require(whole.frames.filter { $0.event == "log" }[6].id)
        let rest = ReceivedText()
        _ = try await stream(source).run(partitions: [0, 1], query: LiveLogQuery(), start: try StreamCursor.parse(id)) { rest.append($0) }
        #expect(Array(all.prefix(7)) + rest.positions == all)
    }

    @Test func filtersLeaveOutOtherOrdersAndTypes() async throws {
        let source = MemoryLogSource(partitionCount: 1, finite: true)
        source.append(order: "x")
        source.append(order: "y")
        source.append(order: "x", type: "OrderConfirmed", version: 2)
        let received = ReceivedText()
        let query = try LiveLogQuery(parameters: [("order", "x"), ("type", "OrderConfirmed")], lastEventID: nil, partitionCount: 1)
        _ = try await stream(source).run(partitions: [0], query: query, start: StreamCursor([0: 0])) { received.append($0) }
        #expect(received.positions == ["0:2"])
    }

    /// A client that stops reading: its reading stops once `capacity` events wait for it, so
    /// it costs at most that; when it reads again it gets what was buffered, the stream ends,
    /// and a reconnect from its last id gets the rest, without a gap or a repeat.
    @Test func aClientThatFallsBehindIsDroppedAfterCapacityEventsAndResumesWithoutAGap() async throws {
        let source = MemoryLogSource(partitionCount: 1)
        for n in 0..<50 { source.append(order: "o-\(n)") }
        let received = ReceivedText()
        let gate = Gate()
        let task = Task {
            try await stream(source, capacity: 10).run(partitions: [0], query: LiveLogQuery(), start: StreamCursor([0: 0])) { buffer in
                received.append(buffer)
                try await gate.passed()  // the client reads the retry frame, then stalls on the first event
            }
        }
        try await waitUntil("the reading stopped") { source.readers == 0 && received.frames.count == 2 }
        gate.open()
        let ending = try await task.value
        #expect(ending == .fellBehind)
        let got = received.positions
        #expect(got.count <= 11 && got.count >= 1, "at most the buffer's events (and the one being handed over) were sent: \(got.count)")
        let id = try #require(received.frames.last(where: { $0.event == "log" })?.id)
        let rest = ReceivedText()
        let finite = MemoryLogSource(partitionCount: 1, finite: true)
        for n in 0..<50 { finite.append(order: "o-\(n)") }
        _ = try await stream(finite).run(partitions: [0], query: LiveLogQuery(), start: try StreamCursor.parse(id)) { rest.append($0) }
        let expected = (0..<50).map { "0:\($0)" }
        #expect(got + rest.positions == expected)
    }

    @Test func anIdleStreamSendsKeepAliveComments() async throws {
        let source = MemoryLogSource(partitionCount: 1)
        let received = ReceivedText()
        let task = Task {
            try await stream(source, keepAlive: .milliseconds(10)).run(partitions: [0], query: LiveLogQuery(), start: StreamCursor([0: 0])) {
                received.append($0)
            }
        }
        try await waitUntil("two keep-alives") { received.frames.filter { $0.comment == "keep-alive" }.count >= 2 }
        task.cancel()
        _ = try? await task.value
    }

    @Test func aLogThatCannotBeReadEndsTheStreamWithAFailureEvent() async throws {
        let source = MemoryLogSource(partitionCount: 1)
        source.failReading("broker gone")
        let received = ReceivedText()
        let ending = try await stream(source).run(partitions: [0], query: LiveLogQuery(), start: StreamCursor([0: 0])) { received.append($0) }
        #expect(ending == .failed("broker gone"))
        let failure = try #require(received.frames.last)
        #expect(failure.event == "failure")
        #expect(failure.json?["detail"] as? String == "broker gone")
    }

    @Test func aClientThatGoesAwayEndsTheReading() async throws {
        struct Gone: Error {}
        let source = MemoryLogSource(partitionCount: 1)
        source.append(order: "o")
        await #expect(throws: Gone.self) {
            _ = try await stream(source).run(partitions: [0], query: LiveLogQuery(), start: StreamCursor([0: 0])) { _ in throw Gone() }
        }
        #expect(source.readers == 0)
    }
}

/// Holds callers until opened (then lets every caller through); a cancelled caller throws.
final class Gate: Sendable {
    private let state = NIOLockedValueBox<(open: Bool, passes: Int, waiting: [CheckedContinuation<Void, Never>])>((false, 0, []))

    /// The first call passes at once; later ones wait for `open()`.
    func passed() async throws {
        let passNow = state.withLockedValue { state -> Bool in
            state.passes += 1
            return state.open || state.passes == 1
        }
        if passNow { return }
        await withCheckedContinuation { continuation in
            let resume = state.withLockedValue { state -> Bool in
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
        try Task.checkCancellation()
    }

    func open() {
        let waiting = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
