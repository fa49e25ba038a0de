import KafkaProtocol
import NIOConcurrencyHelpers

/// Topic names and ids from metadata, both ways: Fetch v13+ names topics by id only.
final class TopicIDs: Sendable {
    private let maps = NIOLockedValueBox((byName: [String: KafkaUUID](), byID: [KafkaUUID: String]()))

    func update(_ metadata: ClusterMetadata) {
        maps.withLockedValue { maps in
            for (name, topic) in metadata.topics where topic.id != .zero {
                maps.byName[name] = topic.id
                maps.byID[topic.id] = name
            }
        }
    }

    func id(of name: String) -> KafkaUUID? { maps.withLockedValue { $0.byName[name] } }
    func name(of id: KafkaUUID) -> String? { maps.withLockedValue { $0.byID[id] } }
}
