extension Duration {
    /// The duration in whole milliseconds, as Kafka's *Ms fields take it.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
