import KafkaProtocol
import Logging
import NIOConcurrencyHelpers

/// All topics on disk under `<data dir>/topics/<name>/`: a `topic.meta` file (id, partition
/// count, config overrides, one `key=value` per line) and one directory per partition.
final class LogManager: Sendable {
    struct CreateError: Error, Sendable {
        var code: KafkaErrorCode
        var message: String
    }

    private let root: String
    private let configuration: LogConfiguration
    private let logger: Logger
    private let topics = NIOLockedValueBox([String: Topic]())

    init(dataDirectory: String, configuration: LogConfiguration, logger: Logger) throws {
        self.root = dataDirectory + "/topics"
        self.configuration = configuration
        self.logger = logger
        try Directory.create(dataDirectory)
        try Directory.create(root)
        var loaded: [String: Topic] = [:]
        for name in try Directory.entries(root) where Topic.isValidName(name) {
            let metaPath = "\(root)/\(name)/topic.meta"
            guard Directory.exists(metaPath) else {
                // A topic whose creation did not finish: nothing was acknowledged for it.
                try? Directory.removeTree("\(root)/\(name)")
                continue
            }
            let meta = try Self.parseMeta(try Directory.readSmallFile(metaPath))
            loaded[name] = try openTopic(name: name, id: meta.id, partitions: meta.partitions, configs: meta.configs)
        }
        topics.withLockedValue { $0 = loaded }
        logger.info("Loaded topics", metadata: ["kafka.topics": "\(loaded.count)"])
    }

    private func openTopic(name: String, id: KafkaUUID, partitions: Int32, configs: [String: String]) throws -> Topic {
        let logConfiguration = Topic.logConfiguration(configuration, overrides: configs)
        let logs = try (0..<partitions).map { p in
            try PartitionLog(
                topic: name, partition: p, directory: "\(root)/\(name)/\(p)", configuration: logConfiguration, logger: logger)
        }
        return Topic(name: name, id: id, partitions: logs, configs: configs)
    }

    func topic(_ name: String) -> Topic? {
        topics.withLockedValue { $0[name] }
    }

    func topic(id: KafkaUUID) -> Topic? {
        topics.withLockedValue { $0.values.first { $0.id == id } }
    }

    var allTopics: [Topic] {
        topics.withLockedValue { Array($0.values) }.sorted { $0.name < $1.name }
    }

    func partition(_ topic: String, _ index: Int32) -> PartitionLog? {
        self.topic(topic)?.partition(index)
    }

    /// Creates a topic (or returns the existing one when `ifMissing`).
    @discardableResult
    func createTopic(
        _ name: String, partitions: Int32, configs: [String: String] = [:], validateOnly: Bool = false, ifMissing: Bool = false
    ) throws -> Topic? {
        guard Topic.isValidName(name) else {
            throw CreateError(code: .invalidTopicException, message: "Topic name \"\(name)\" is illegal: it must be 1-249 characters of [a-zA-Z0-9._-].")
        }
        guard partitions > 0, partitions <= 10_000 else {
            throw CreateError(code: .invalidPartitions, message: "Number of partitions must be between 1 and 10000.")
        }
        for key in configs.keys where !Topic.supportedConfigs.contains(key) {
            throw CreateError(code: .invalidConfig, message: "Unknown or unsupported topic config \(key).")
        }
        if let policy = configs["cleanup.policy"], policy != "delete" {
            throw CreateError(code: .invalidConfig, message: "cleanup.policy=\(policy) is not supported (only delete).")
        }
        return try topics.withLockedValue { (all) throws -> Topic? in
            if let existing = all[name] {
                if ifMissing { return existing }
                throw CreateError(code: .topicAlreadyExists, message: "Topic '\(name)' already exists.")
            }
            if validateOnly { return nil }
            let id = KafkaUUID.random()
            do {
                try Directory.create("\(root)/\(name)")
                let topic = try openTopic(name: name, id: id, partitions: partitions, configs: configs)
                try Directory.writeAtomically("\(root)/\(name)/topic.meta", contents: Self.formatMeta(id: id, partitions: partitions, configs: configs))
                Directory.sync(root)
                all[name] = topic
                logger.info("Created topic", metadata: ["kafka.topic": "\(name)", "kafka.partitions": "\(partitions)"])
                return topic
            } catch {
                try? Directory.removeTree("\(root)/\(name)")
                throw CreateError(code: .kafkaStorageError, message: "\(error)")
            }
        }
    }

    /// Deletes a topic and its data. Returns false when it does not exist.
    func deleteTopic(_ name: String) -> Bool {
        guard let topic = topics.withLockedValue({ $0.removeValue(forKey: name) }) else { return false }
        for partition in topic.partitions { partition.close() }
        do {
            // Rename first so a crash mid-delete never leaves a half topic that loads.
            let doomed = "\(root)/.deleted-\(name)-\(topic.id)"
            try Directory.rename("\(root)/\(name)", doomed)
            try Directory.removeTree(doomed)
        } catch {
            logger.error("Deleting topic files failed", metadata: ["kafka.topic": "\(name)", "error": "\(error)"])
        }
        logger.info("Deleted topic", metadata: ["kafka.topic": "\(name)"])
        return true
    }

    func flushAll() {
        for topic in allTopics { for partition in topic.partitions { partition.flush() } }
    }

    func applyRetention(nowMilliseconds: Int64) {
        for topic in allTopics { for partition in topic.partitions { partition.applyRetention(nowMilliseconds: nowMilliseconds) } }
    }

    func closeAll() {
        for topic in allTopics { for partition in topic.partitions { partition.close() } }
    }

    // MARK: topic.meta

    static func formatMeta(id: KafkaUUID, partitions: Int32, configs: [String: String]) -> String {
        var lines = ["id=\(id.high):\(id.low)", "partitions=\(partitions)"]
        for (key, value) in configs.sorted(by: { $0.key < $1.key }) { lines.append("config.\(key)=\(value)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func parseMeta(_ text: String) throws -> (id: KafkaUUID, partitions: Int32, configs: [String: String]) {
        var id: KafkaUUID?
        var partitions: Int32?
        var configs: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            let value = String(line[line.index(after: eq)...])
            switch key {
            case "id":
                let parts = value.split(separator: ":")
                if parts.count == 2, let high = UInt64(parts[0]), let low = UInt64(parts[1]) { id = KafkaUUID(high: high, low: low) }
            case "partitions":
                partitions = Int32(value)
            default:
                if key.hasPrefix("config.") { configs[String(key.dropFirst(7))] = value }
            }
        }
        guard let id, let partitions, partitions > 0 else {
            throw StorageError(operation: "parse topic.meta", path: text, errno: 22)
        }
        return (id, partitions, configs)
    }
}
