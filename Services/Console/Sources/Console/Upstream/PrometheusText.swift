/// Reads samples out of Prometheus's text exposition format: enough for the system page's
/// charts (a counter's total over its labels, a histogram's `_sum` and `_count`).
enum PrometheusText {
    /// The sum of every sample named `name` (any labels); nil when there is none.
    static func sum(_ name: String, in text: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let nameEnd = line.firstIndex { $0 == "{" || $0 == " " } ?? line.endIndex
            guard line[..<nameEnd] == name else { continue }
            // The value follows the labels (which may hold spaces inside quotes).
            let afterLabels = line[nameEnd...].hasPrefix("{") ? (line.lastIndex(of: "}").map { line.index(after: $0) } ?? line.endIndex) : nameEnd
            let fields = line[afterLabels...].split(separator: " ")
            guard let first = fields.first, let value = Double(first), value.isFinite else { continue }
            total = (total ?? 0) + value
        }
        return total
    }
}
