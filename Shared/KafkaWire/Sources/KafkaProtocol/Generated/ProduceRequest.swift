// GENERATED FILE - DO NOT EDIT. Generated from message/ProduceRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ProduceRequest" (versions 0-11, flexible 9+).
public struct ProduceRequest: KafkaRequestMessage {
    public typealias Response = ProduceResponse
    public static let apiKey: APIKey = .produce
    public static let validVersions: ClosedRange<Int16> = 0...11
    public static let firstFlexibleVersion: Int16? = 9

    /// The transactional ID, or null if the producer is not transactional.
    public var transactionalId: String? = nil
    /// The number of acknowledgments the producer requires the leader to have received before considering a request complete. Allowed values: 0 for no acknowledgments, 1 for only the leader and -1 for the full ISR.
    public var acks: Int16 = 0
    /// The timeout to await a response in milliseconds.
    public var timeoutMs: Int32 = 0
    /// Each topic to produce to.
    public var topicData: [TopicProduceData] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(transactionalId: String? = nil, acks: Int16 = 0, timeoutMs: Int32 = 0, topicData: [TopicProduceData] = []) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topicData = topicData
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ProduceRequest does not support version \(version)")
        }
        let flexible = version >= 9
        self.init()
        if version >= 3 {
            self.transactionalId = try buffer.readKafkaNullableString(compact: flexible)
        }
        self.acks = try buffer.readKafkaInteger(as: Int16.self)
        self.timeoutMs = try buffer.readKafkaInteger(as: Int32.self)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ProduceRequest.topicData")
            }
            var array2: [TopicProduceData] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try TopicProduceData(from: &buffer, version: version))
            }
            self.topicData = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ProduceRequest does not support version \(version)")
        }
        let flexible = version >= 9
        if version >= 3 {
            buffer.writeKafkaString(self.transactionalId, compact: flexible)
        }
        buffer.writeKafkaInteger(self.acks)
        buffer.writeKafkaInteger(self.timeoutMs)
        buffer.writeKafkaArrayCount(self.topicData.count, compact: flexible)
        for item1 in self.topicData {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// Each topic to produce to.
    public struct TopicProduceData: Hashable, Sendable {
        /// The topic name.
        public var name: String = ""
        /// Each partition to produce to.
        public var partitionData: [PartitionProduceData] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", partitionData: [PartitionProduceData] = []) {
            self.name = name
            self.partitionData = partitionData
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable ProduceRequest.TopicProduceData.partitionData")
                }
                var array2: [PartitionProduceData] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try PartitionProduceData(from: &buffer, version: version))
                }
                self.partitionData = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaArrayCount(self.partitionData.count, compact: flexible)
            for item1 in self.partitionData {
                try item1.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each partition to produce to.
    public struct PartitionProduceData: Hashable, Sendable {
        /// The partition index.
        public var index: Int32 = 0
        /// The record data to be produced.
        public var records: ByteBuffer? = ByteBuffer()
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(index: Int32 = 0, records: ByteBuffer? = ByteBuffer()) {
            self.index = index
            self.records = records
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            self.init()
            self.index = try buffer.readKafkaInteger(as: Int32.self)
            self.records = try buffer.readKafkaNullableBytes(compact: flexible)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 9
            buffer.writeKafkaInteger(self.index)
            buffer.writeKafkaBytes(self.records, compact: flexible)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
