// GENERATED FILE - DO NOT EDIT. Generated from message/DescribeConfigsRequest.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DescribeConfigsRequest" (versions 0-4, flexible 4+).
public struct DescribeConfigsRequest: KafkaRequestMessage {
    public typealias Response = DescribeConfigsResponse
    public static let apiKey: APIKey = .describeConfigs
    public static let validVersions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 4

    /// The resources whose configurations we want to describe.
    public var resources: [DescribeConfigsResource] = []
    /// True if we should include all synonyms.
    public var includeSynonyms: Bool = false
    /// True if we should include configuration documentation.
    public var includeDocumentation: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(resources: [DescribeConfigsResource] = [], includeSynonyms: Bool = false, includeDocumentation: Bool = false) {
        self.resources = resources
        self.includeSynonyms = includeSynonyms
        self.includeDocumentation = includeDocumentation
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeConfigsRequest does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable DescribeConfigsRequest.resources")
            }
            var array2: [DescribeConfigsResource] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try DescribeConfigsResource(from: &buffer, version: version))
            }
            self.resources = array2
        }
        if version >= 1 {
            self.includeSynonyms = try buffer.readKafkaBool()
        }
        if version >= 3 {
            self.includeDocumentation = try buffer.readKafkaBool()
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeConfigsRequest does not support version \(version)")
        }
        let flexible = version >= 4
        buffer.writeKafkaArrayCount(self.resources.count, compact: flexible)
        for item1 in self.resources {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 1 {
            buffer.writeKafkaBool(self.includeSynonyms)
        }
        if version >= 3 {
            buffer.writeKafkaBool(self.includeDocumentation)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The resources whose configurations we want to describe.
    public struct DescribeConfigsResource: Hashable, Sendable {
        /// The resource type.
        public var resourceType: Int8 = 0
        /// The resource name.
        public var resourceName: String = ""
        /// The configuration keys to list, or null to list all configuration keys.
        public var configurationKeys: [String]? = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(resourceType: Int8 = 0, resourceName: String = "", configurationKeys: [String]? = []) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configurationKeys = configurationKeys
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.resourceType = try buffer.readKafkaInteger(as: Int8.self)
            self.resourceName = try buffer.readKafkaString(compact: flexible)
            if let count1 = try buffer.readKafkaArrayCount(compact: flexible) {
                var array2: [String] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try buffer.readKafkaString(compact: flexible))
                }
                self.configurationKeys = array2
            } else {
                self.configurationKeys = nil
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaInteger(self.resourceType)
            buffer.writeKafkaString(self.resourceName, compact: flexible)
            if let value1 = self.configurationKeys {
                buffer.writeKafkaArrayCount(value1.count, compact: flexible)
                for item2 in value1 {
                    buffer.writeKafkaString(item2, compact: flexible)
                }
            } else {
                buffer.writeKafkaArrayCount(nil, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
