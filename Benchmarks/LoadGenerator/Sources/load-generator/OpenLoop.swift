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
}
