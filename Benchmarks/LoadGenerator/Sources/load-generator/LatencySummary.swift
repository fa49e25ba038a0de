/// Percentiles of a set of latencies, as the benchmarks' Python scripts print them: the value
/// at index ⌊p·n⌋ of the sorted list, in milliseconds rounded to the microsecond.
struct LatencySummary: Sendable, Equatable, Encodable {
    let count: Int
    let p50_ms: Double
    let p90_ms: Double
    let p99_ms: Double
    let p999_ms: Double
    let max_ms: Double

    /// `nil` for no values (the scripts print `{}` then).
    init?(seconds values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        func pick(_ p: Double) -> Double {
            let index = min(sorted.count - 1, Int(p / 100 * Double(sorted.count)))
            return Self.milliseconds(sorted[index])
        }
        count = sorted.count
        p50_ms = pick(50)
        p90_ms = pick(90)
        p99_ms = pick(99)
        p999_ms = pick(99.9)
        max_ms = Self.milliseconds(sorted[sorted.count - 1])
    }

    private static func milliseconds(_ seconds: Double) -> Double {
        (seconds * 1_000_000).rounded() / 1000
    }
}
