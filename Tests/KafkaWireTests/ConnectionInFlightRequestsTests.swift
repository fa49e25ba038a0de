import KafkaProtocol
@testable import KafkaWire
import Testing

/// The in-flight bookkeeping of one connection, without any I/O.
@Suite("Connection: in-flight requests")
struct ConnectionInFlightRequestsTests {
    typealias Machine = InFlightRequests<String>

    @Test func assignsIncreasingCorrelationIDsAndMatchesInOrder() {
        var machine = Machine()
        #expect(write(&machine, "a") == 0)
        #expect(write(&machine, "b") == 1)
        #expect(write(&machine, "c") == 2)
        #expect(machine.count == 3)
        #expect(respond(&machine, 0) == "a")
        #expect(respond(&machine, 1) == "b")
        #expect(machine.oldest?.context == "c")
        #expect(respond(&machine, 2) == "c")
        #expect(machine.isEmpty)
    }

    @Test func requestsWithoutResponseConsumeAnIDButAreNotAwaited() {
        var machine = Machine()
        #expect(write(&machine, nil) == 0)
        #expect(write(&machine, "b") == 1)
        #expect(machine.count == 1)
        #expect(respond(&machine, 1) == "b")
    }

    @Test func mismatchedCorrelationIDClosesAndFailsEverything() {
        var machine = Machine()
        _ = write(&machine, "a")
        _ = write(&machine, "b")
        guard case .closeAndFail(let entries, let error) = machine.response(correlationID: 1) else {
            Issue.record("expected closeAndFail")
            return
        }
        #expect(entries.map(\.context) == ["a", "b"])
        #expect(error.code == .protocolViolation)
        #expect(!error.isRetriable)
        // Closed: later writes fail with the same error, late responses are ignored.
        guard case .fail(let later) = machine.write("c") else {
            Issue.record("expected fail")
            return
        }
        #expect(later.code == .protocolViolation)
        guard case .ignore = machine.response(correlationID: 0) else {
            Issue.record("expected ignore")
            return
        }
    }

    @Test func unsolicitedResponseIsAViolation() {
        var machine = Machine()
        guard case .closeAndFail(let entries, let error) = machine.response(correlationID: 7) else {
            Issue.record("expected closeAndFail")
            return
        }
        #expect(entries.isEmpty)
        #expect(error.code == .protocolViolation)
    }

    @Test func timeoutFailsThatRequestAndClosesTheRestRetriably() throws {
        var machine = Machine()
        _ = write(&machine, "a")
        _ = write(&machine, "b")
        _ = write(&machine, "c")
        let timedOut = machine.timedOut(correlationID: 0)
        let result = try #require(timedOut)
        #expect(result.timedOut?.context == "a")
        #expect(result.others.map(\.context) == ["b", "c"])
        #expect(result.error.code == .connectionClosed)
        #expect(result.error.isRetriable)
        #expect(machine.isEmpty)
        let again = machine.timedOut(correlationID: 1)
        #expect(again == nil)
    }

    @Test func peerCloseFailsEverythingOnce() {
        var machine = Machine()
        _ = write(&machine, "a")
        _ = write(&machine, "b")
        let error = KafkaError(.connectionClosed, "gone")
        let failed = machine.closed(error)
        #expect(failed.map(\.context) == ["a", "b"])
        let again = machine.closed(error)
        #expect(again.isEmpty)
        guard case .fail(let later) = machine.write("c") else {
            Issue.record("expected fail")
            return
        }
        #expect(later.isRetriable)
    }

    @Test func gracefulCloseWaitsForOutstandingResponses() {
        var machine = Machine()
        _ = write(&machine, "a")
        _ = write(&machine, "b")
        guard case .wait = machine.close(gracefully: true) else {
            Issue.record("expected wait")
            return
        }
        guard case .fail(let refused) = machine.write("c") else {
            Issue.record("new requests are refused while draining")
            return
        }
        #expect(refused.code == .connectionClosed)
        #expect(respond(&machine, 0) == "a")
        guard case .completeAndClose(let last) = machine.response(correlationID: 1) else {
            Issue.record("expected completeAndClose")
            return
        }
        #expect(last.context == "b")
    }

    @Test func gracefulCloseOfAnIdleConnectionClosesNow() {
        var machine = Machine()
        guard case .close = machine.close(gracefully: true) else {
            Issue.record("expected close")
            return
        }
    }

    @Test func immediateCloseFailsOutstanding() {
        var machine = Machine()
        _ = write(&machine, "a")
        guard case .closeAndFail(let entries, let error) = machine.close(gracefully: false) else {
            Issue.record("expected closeAndFail")
            return
        }
        #expect(entries.map(\.context) == ["a"])
        #expect(error.code == .connectionClosed)
    }

    @Test func correlationIDsWrapAround() {
        var machine = Machine(firstCorrelationID: .max)
        #expect(write(&machine, "a") == .max)
        #expect(write(&machine, "b") == 0)
        #expect(respond(&machine, .max) == "a")
        #expect(respond(&machine, 0) == "b")
    }

    private func write(_ machine: inout Machine, _ context: String?) -> Int32? {
        guard case .write(let id) = machine.write(context) else { return nil }
        return id
    }

    private func respond(_ machine: inout Machine, _ id: Int32) -> String? {
        completed(machine.response(correlationID: id))
    }

    private func completed(_ action: Machine.ResponseAction) -> String? {
        guard case .complete(let entry) = action else { return nil }
        return entry.context
    }
}
