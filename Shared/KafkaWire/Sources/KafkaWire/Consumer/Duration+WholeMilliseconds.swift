extension Duration {
    /// The duration in whole milliseconds, as Kafka's *Ms fields take it (public: services
    /// built on KafkaWire count in the same unit).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
