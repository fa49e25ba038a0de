/// An open-loop schedule: item i is due at `start + i / rate`, whatever became of the items
/// before it, so a slow answer cannot slow the load down ("coordinated omission").
struct OpenLoop: Sendable {
    let start: ContinuousClock.Instant
    let rate: Double
    let count: Int

    init(start: ContinuousClock.Instant, rate: Double, duration: Double) {
        self.start = start
        self.rate = rate
        self.count = Int((rate * duration).rounded(.down))
    }

    /// When item `index` is due.
    func intended(_ index: Int) -> ContinuousClock.Instant {
        start + .nanoseconds(Int64((Double(index) / rate * 1e9).rounded()))
    }

    /// When the schedule ends: the instant the item after the last would be due.
    var end: ContinuousClock.Instant { intended(count) }

    /// Runs `body` for every item at its due time, each in a task of its own, and returns when
    /// every one has finished. Items already late go out at once, in order.
    func run(_ body: @escaping @Sendable (_ index: Int, _ intended: ContinuousClock.Instant) async -> Void) async {
        let clock = ContinuousClock()
        await withDiscardingTaskGroup { group in
            for index in 0..<count {
                let due = intended(index)
                if clock.now < due { try? await clock.sleep(until: due, tolerance: .microseconds(50)) }
                group.addTask { await body(index, due) }
            }
        }
    }
}
