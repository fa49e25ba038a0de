import KafkaProtocol

/// A topic: its id, its partitions' logs, and the configuration overrides it was created with.
final class Topic: Sendable {
    let name: String
    let id: KafkaUUID
    let partitions: [PartitionLog]
    let configs: [String: String]

    init(name: String, id: KafkaUUID, partitions: [PartitionLog], configs: [String: String]) {
        self.name = name
        self.id = id
        self.partitions = partitions
        self.configs = configs
    }

    func partition(_ index: Int32) -> PartitionLog? {
        index >= 0 && Int(index) < partitions.count ? partitions[Int(index)] : nil
    }

    /// Topic names Kafka accepts: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2e || c == 0x5f || c == 0x2d
        }
    }

    /// Topic-level settings the broker understands, with the log configuration they override.
    static let supportedConfigs: Set<String> = ["retention.ms", "retention.bytes", "segment.bytes", "cleanup.policy"]

    static func logConfiguration(_ base: LogConfiguration, overrides: [String: String]) -> LogConfiguration {
        var configuration = base
        if let value = overrides["retention.ms"], let ms = Int64(value) { configuration.retentionMilliseconds = ms < 0 ? nil : ms }
        if let value = overrides["retention.bytes"], let bytes = Int64(value) { configuration.retentionBytes = bytes < 0 ? nil : bytes }
        if let value = overrides["segment.bytes"], let bytes = Int64(value), bytes > 0 { configuration.segmentBytes = bytes }
        return configuration
    }
}
