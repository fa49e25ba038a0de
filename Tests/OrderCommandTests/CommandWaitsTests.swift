import Events
import Foundation
@testable import OrderCommand
import Testing

/// The command side's waiting rules, without Kafka or a clock: given the waits so far, when an
/// event ends or time passes, then exactly these commands are resumed, with this end.
@Suite struct CommandWaitsTests {
    typealias Waits = CommandWaits<String>

    let start = ContinuousClock.now
    let event = UUID()
    let other = UUID()
    let answer = CommandAnswer(orderId: "o-1", version: 1, partition: 0, offset: 7, created: true)

    func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    @Test func aReadBackResumesEveryWaiterOfItsEventAndNoOther() {
        var waits = Waits()
        #expect(isSuspend(waits.wait("first", for: event, until: at(5))))
        #expect(isSuspend(waits.wait("retry", for: event, until: at(6))))
        #expect(isSuspend(waits.wait("unrelated", for: other, until: at(5))))
        #expect(waits.end(event, with: .resolved(.inEffect(answer))) == ["first", "retry"])
        #expect(waits.count == 1)
        #expect(waits.end(event, with: .abandoned) == [], "an event ends once for those who waited")
    }

    @Test func aDeadlineExpiresOnlyTheWaitsItCovers() {
        var waits = Waits()
        _ = waits.wait("early", for: event, until: at(1))
        _ = waits.wait("late", for: event, until: at(3))
        #expect(waits.nextDeadline == at(1))
        #expect(waits.expire(now: at(0)) == [])
        #expect(waits.expire(now: at(1)) == ["early"], "a deadline at the instant counts as passed")
        #expect(waits.nextDeadline == at(3))
        // The event outlives an expired wait: the one still waiting gets its end.
        #expect(waits.end(event, with: .partitionGone) == ["late"])
        #expect(waits.isEmpty && waits.nextDeadline == nil)
    }

    @Test func anEndWhileTheCommandIsStillAppendingIsKeptForIt() {
        var waits = Waits()
        waits.appending(event)
        #expect(waits.end(event, with: .resolved(.inEffect(answer))) == [], "nobody waits yet")
        guard case .resume(.resolved(.inEffect(let got))) = waits.waitForAppended("command", eventId: event, until: at(1)) else {
            Issue.record("the kept end was not handed to the command")
            return
        }
        #expect(got == answer)
        #expect(waits.isEmpty)
        // Kept once: a later wait for the same event suspends as usual.
        #expect(isSuspend(waits.waitForAppended("again", eventId: event, until: at(1))))
    }

    @Test func aCommandThatWaitsAfterAppendingWithNoEndYetSuspends() {
        var waits = Waits()
        waits.appending(event)
        #expect(isSuspend(waits.waitForAppended("command", eventId: event, until: at(1))))
        #expect(waits.end(event, with: .deadline) == ["command"])
        // The marker went with the wait: a later end is not kept for anyone.
        #expect(isSuspend(waits.waitForAppended("again", eventId: event, until: at(1))))
    }

    @Test func aRetryWaitingForTheFirstAttemptGetsTheEndKeptForTheAppendingCommandToo() {
        var waits = Waits()
        waits.appending(event)
        #expect(isSuspend(waits.wait("retry", for: event, until: at(1))))
        #expect(waits.end(event, with: .partitionGone) == ["retry"])
        // The retry's wait is not the appending command's: the end is still kept for it.
        guard case .resume(.partitionGone) = waits.waitForAppended("first", eventId: event, until: at(1)) else {
            Issue.record("the appending command missed the end its retry saw")
            return
        }
    }

    @Test func aRefusedAppendKeepsNothing() {
        var waits = Waits()
        waits.appending(event)
        waits.appendFailed(event)
        #expect(waits.end(event, with: .abandoned) == [])
        #expect(isSuspend(waits.waitForAppended("later", eventId: event, until: at(1))))
    }

    @Test func expiredWaitsAreResumedInTheOrderTheyBegan() {
        var waits = Waits()
        for n in 0..<20 { _ = waits.wait("w\(n)", for: n.isMultiple(of: 2) ? event : other, until: at(1)) }
        #expect(waits.expire(now: at(2)) == (0..<20).map { "w\($0)" })
        #expect(waits.isEmpty)
    }

    private func isSuspend(_ action: Waits.WaitAction) -> Bool {
        if case .suspend = action { return true }
        return false
    }
}
