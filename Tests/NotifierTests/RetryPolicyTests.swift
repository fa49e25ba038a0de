import Testing

@testable import Notifier

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 8, base: .milliseconds(200), cap: .seconds(10))

    @Test func delaysGrowAndStayWithinTheirStep() {
        for attempt in 1...8 {
            let step = min(Duration.seconds(10), .milliseconds(200) * (1 << (attempt - 1)))
            let low = policy.delay(afterAttempt: attempt, retryAfter: nil, random: 0)
            let high = policy.delay(afterAttempt: attempt, retryAfter: nil, random: 0.999_999)
            #expect(low == step / 2)
            #expect(high <= step && high > step / 2)
            #expect(policy.minimumDelay(afterAttempt: attempt) == low)
            if attempt > 1, step < .seconds(10) {
                // Equal jitter: below the cap, the shortest wait of an attempt is the longest of the one before.
                #expect(low >= policy.delay(afterAttempt: attempt - 1, retryAfter: nil, random: 1))
            }
        }
    }

    @Test func theCapBoundsEveryDelay() {
        #expect(policy.delay(afterAttempt: 60, retryAfter: nil, random: 1) == .seconds(10))
    }

    @Test func retryAfterWinsWithinItsBound() {
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(3), random: 0.5) == .seconds(3))
        #expect(policy.delay(afterAttempt: 1, retryAfter: .seconds(100_000), random: 0.5) == .seconds(600))
    }

    @Test func retryAfterHeaderForms() {
        #expect(WebhookSink.retryAfter("7") == .seconds(7))
        #expect(WebhookSink.retryAfter("soon") == nil)
        #expect(WebhookSink.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .zero)
    }
}
