/// The dead-letter topic's last entries: its name from the notifier's `/status` (the
/// contract's default when the notifier does not answer), read from Kafka.
enum DeadLetterEntries {
    static let defaultTopic = "orders.notifications.dlq"
    static let shown = 50

    static func gather(source: any LogSource, api: any ServiceAPI, authorization: String?) async -> DeadLettersBody {
        var topic = defaultTopic
        if case .value(let status) = await api.fetch(SystemStatus.NotifierStatus.self, from: .notifier, "/status", authorization: authorization) {
            topic = status.deadLetterTopic.topic
        }
        do {
            return DeadLettersBody(topic: topic, entries: try await source.deadLetters(topic: topic, count: shown))
        } catch {
            return DeadLettersBody(topic: topic, entries: [], problem: "the dead-letter topic \(topic) cannot be read: \(error)")
        }
    }
}
