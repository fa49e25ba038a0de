import Testing

@testable import Notifier

@Suite struct DeliveryQueuesTests {
    @Test func oneOrdersDeliveriesGoOneAtATimeInVersionOrder() {
        var queues = DeliveryQueues()
        queues.add(delivery("a", version: 2))
        queues.add(delivery("a", version: 1))
        let first = queues.take()
        #expect(first?.version == 1)
        // The lane is busy: its next delivery waits for the first to finish.
        #expect(queues.take() == nil)
        queues.done(first!)
        #expect(queues.take()?.version == 2)
    }

    @Test func aRetryingOrderHoldsUpNobodyElse() {
        var queues = DeliveryQueues()
        queues.add(delivery("slow", version: 1))
        queues.add(delivery("slow", version: 2))
        queues.add(delivery("fast", version: 1))
        let slow = queues.take()!
        #expect(slow.orderId == "slow")
        var failed = slow
        failed.attempts = 1
        queues.retryLater(failed)
        let fast = queues.take()
        #expect(fast?.orderId == "fast")
        queues.done(fast!)
        // Still waiting: the slow order's second notification does not overtake its first.
        #expect(queues.take() == nil)
        queues.wake(failed)
        let retried = queues.take()
        #expect(retried?.version == 1 && retried?.attempts == 1)
    }

    @Test func sinksAreSeparateLanes() {
        var queues = DeliveryQueues()
        queues.add(delivery("a", version: 1, sink: "log"))
        queues.add(delivery("a", version: 1, sink: "file:x"))
        let one = queues.take()
        let two = queues.take()
        #expect(Set([one?.key.sink, two?.key.sink]) == ["log", "file:x"])
    }

    @Test func aDeliveryIsNeverQueuedTwiceButAResendIs() {
        var queues = DeliveryQueues()
        let first = queues.add(delivery("a", version: 1))
        let again = queues.add(delivery("a", version: 1))
        #expect(first && !again)
        let taken = queues.take()!
        queues.done(taken)
        // Just delivered: the same round again (a sweep that read the ledger before) is dropped.
        let afterDone = queues.add(delivery("a", version: 1))
        let resent = queues.add(delivery("a", version: 1, round: 1))
        #expect(!afterDone && resent)
        #expect(queues.take()?.round == 1)
    }

    @Test func aLaterArrivalWithAnEarlierVersionQueuesBehindTheBusyHead() {
        var queues = DeliveryQueues()
        queues.add(delivery("a", version: 2))
        let head = queues.take()!
        queues.add(delivery("a", version: 1, round: 1))
        queues.add(delivery("a", version: 3))
        queues.done(head)
        #expect(queues.take()?.version == 1)
    }

    @Test func revokedPartitionsLeaveButABusyLaneFinishesFirst() {
        var queues = DeliveryQueues()
        queues.add(delivery("a", version: 1, partition: 0))
        queues.add(delivery("a", version: 2, partition: 0))
        queues.add(delivery("b", version: 1, partition: 1))
        queues.add(delivery("c", version: 1, partition: 0))
        let busy = queues.take()!
        #expect(busy.orderId == "a")
        queues.drop(partitions: [0])
        #expect(queues.take()?.orderId == "b")
        queues.done(busy)
        #expect(queues.take() == nil)
        #expect(queues.queuedCount == 1)
    }
}
