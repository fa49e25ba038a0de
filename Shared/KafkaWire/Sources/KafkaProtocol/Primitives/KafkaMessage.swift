import NIOCore

/// A message generated from Kafka's JSON definitions: a request, a response, or a data
/// structure such as ConsumerProtocolSubscription. Every message knows its versions and
/// how to read and write itself at each; `init()` gives all fields their defaults.
public protocol KafkaMessage: Hashable, Sendable {
    /// Versions the definition declares valid.
    static var validVersions: ClosedRange<Int16> { get }
    /// First flexible (KIP-482, compact + tagged) version, nil when none is flexible.
    static var firstFlexibleVersion: Int16? { get }

    init()
    init(from buffer: inout ByteBuffer, version: Int16) throws
    func encode(to buffer: inout ByteBuffer, version: Int16) throws
}

extension KafkaMessage {
    @inlinable
    public static func isFlexible(_ version: Int16) -> Bool {
        guard let first = firstFlexibleVersion else { return false }
        return version >= first
    }
}

/// A request with its API key and its response type.
public protocol KafkaRequestMessage: KafkaMessage {
    associatedtype Response: KafkaResponseMessage
    static var apiKey: APIKey { get }
}

/// A response with its API key.
public protocol KafkaResponseMessage: KafkaMessage {
    static var apiKey: APIKey { get }
}
