import NIOCore

/// An open-loop schedule: item i is due `i / rate` seconds after the start, whatever became of
/// the items before it, so slow answers cannot slow the load down ("coordinated omission").
struct OpenLoop: Sendable, Equatable {
    let rate: Double
    let count: Int

    init(rate: Double, duration: Double) {
        self.rate = rate
        self.count = Int((rate * duration).rounded(.down))
    }

    /// Nanoseconds from the start at which item `index` is due (`count` gives the end).
    func offset(_ index: Int) -> Int64 {
        Int64((Double(index) / rate * 1e9).rounded())
    }

    /// When item `index` is due, for a schedule that starts at `start`.
    func due(_ index: Int, from start: NIODeadline) -> NIODeadline {
        start + .nanoseconds(offset(index))
    }
}

extension NIODeadline {
    /// Seconds from this instant to now.
    var secondsAgo: Double { Double((NIODeadline.now() - self).nanoseconds) / 1e9 }
}

extension TimeAmount {
    /// A time amount of `seconds`, a fraction allowed.
    static func fractionalSeconds(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64((seconds * 1e9).rounded())) }
}
