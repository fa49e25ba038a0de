// GENERATED FILE - DO NOT EDIT. Generated from message/DescribeConfigsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "DescribeConfigsResponse" (versions 0-4, flexible 4+).
public struct DescribeConfigsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .describeConfigs
    public static let validVersions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 4

    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// The results for each resource.
    public var results: [DescribeConfigsResult] = []
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(throttleTimeMs: Int32 = 0, results: [DescribeConfigsResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeConfigsResponse does not support version \(version)")
        }
        let flexible = version >= 4
        self.init()
        self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable DescribeConfigsResponse.results")
            }
            var array2: [DescribeConfigsResult] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try DescribeConfigsResult(from: &buffer, version: version))
            }
            self.results = array2
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "DescribeConfigsResponse does not support version \(version)")
        }
        let flexible = version >= 4
        buffer.writeKafkaInteger(self.throttleTimeMs)
        buffer.writeKafkaArrayCount(self.results.count, compact: flexible)
        for item1 in self.results {
            try item1.encode(to: &buffer, version: version)
        }
        if flexible {
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// The results for each resource.
    public struct DescribeConfigsResult: Hashable, Sendable {
        /// The error code, or 0 if we were able to successfully describe the configurations.
        public var errorCode: Int16 = 0
        /// The error message, or null if we were able to successfully describe the configurations.
        public var errorMessage: String? = ""
        /// The resource type.
        public var resourceType: Int8 = 0
        /// The resource name.
        public var resourceName: String = ""
        /// Each listed configuration.
        public var configs: [DescribeConfigsResourceResult] = []
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(errorCode: Int16 = 0, errorMessage: String? = "", resourceType: Int8 = 0, resourceName: String = "", configs: [DescribeConfigsResourceResult] = []) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
            self.errorMessage = try buffer.readKafkaNullableString(compact: flexible)
            self.resourceType = try buffer.readKafkaInteger(as: Int8.self)
            self.resourceName = try buffer.readKafkaString(compact: flexible)
            do {
                guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                    throw ProtocolError(.invalidLength, "null array in non-nullable DescribeConfigsResponse.DescribeConfigsResult.configs")
                }
                var array2: [DescribeConfigsResourceResult] = []
                array2.reserveCapacity(count1)
                for _ in 0..<count1 {
                    array2.append(try DescribeConfigsResourceResult(from: &buffer, version: version))
                }
                self.configs = array2
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaInteger(self.errorCode)
            buffer.writeKafkaString(self.errorMessage, compact: flexible)
            buffer.writeKafkaInteger(self.resourceType)
            buffer.writeKafkaString(self.resourceName, compact: flexible)
            buffer.writeKafkaArrayCount(self.configs.count, compact: flexible)
            for item1 in self.configs {
                try item1.encode(to: &buffer, version: version)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Each listed configuration.
    public struct DescribeConfigsResourceResult: Hashable, Sendable {
        /// The configuration name.
        public var name: String = ""
        /// The configuration value.
        public var value: String? = ""
        /// True if the configuration is read-only.
        public var readOnly: Bool = false
        /// True if the configuration is not set.
        public var isDefault: Bool = false
        /// The configuration source.
        public var configSource: Int8 = -1
        /// True if this configuration is sensitive.
        public var isSensitive: Bool = false
        /// The synonyms for this configuration key.
        public var synonyms: [DescribeConfigsSynonym] = []
        /// The configuration data type. Type can be one of the following values - BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD
        public var configType: Int8 = 0
        /// The configuration documentation.
        public var documentation: String? = ""
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", value: String? = "", readOnly: Bool = false, isDefault: Bool = false, configSource: Int8 = -1, isSensitive: Bool = false, synonyms: [DescribeConfigsSynonym] = [], configType: Int8 = 0, documentation: String? = "") {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.isDefault = isDefault
            self.configSource = configSource
            self.isSensitive = isSensitive
            self.synonyms = synonyms
            self.configType = configType
            self.documentation = documentation
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            self.value = try buffer.readKafkaNullableString(compact: flexible)
            self.readOnly = try buffer.readKafkaBool()
            if version <= 0 {
                self.isDefault = try buffer.readKafkaBool()
            }
            if version >= 1 {
                self.configSource = try buffer.readKafkaInteger(as: Int8.self)
            }
            self.isSensitive = try buffer.readKafkaBool()
            if version >= 1 {
                do {
                    guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                        throw ProtocolError(.invalidLength, "null array in non-nullable DescribeConfigsResponse.DescribeConfigsResourceResult.synonyms")
                    }
                    var array2: [DescribeConfigsSynonym] = []
                    array2.reserveCapacity(count1)
                    for _ in 0..<count1 {
                        array2.append(try DescribeConfigsSynonym(from: &buffer, version: version))
                    }
                    self.synonyms = array2
                }
            }
            if version >= 3 {
                self.configType = try buffer.readKafkaInteger(as: Int8.self)
            }
            if version >= 3 {
                self.documentation = try buffer.readKafkaNullableString(compact: flexible)
            }
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaString(self.value, compact: flexible)
            buffer.writeKafkaBool(self.readOnly)
            if version <= 0 {
                buffer.writeKafkaBool(self.isDefault)
            }
            if version >= 1 {
                buffer.writeKafkaInteger(self.configSource)
            }
            buffer.writeKafkaBool(self.isSensitive)
            if version >= 1 {
                buffer.writeKafkaArrayCount(self.synonyms.count, compact: flexible)
                for item1 in self.synonyms {
                    try item1.encode(to: &buffer, version: version)
                }
            }
            if version >= 3 {
                buffer.writeKafkaInteger(self.configType)
            }
            if version >= 3 {
                buffer.writeKafkaString(self.documentation, compact: flexible)
            }
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// The synonyms for this configuration key.
    public struct DescribeConfigsSynonym: Hashable, Sendable {
        /// The synonym name.
        public var name: String = ""
        /// The synonym value.
        public var value: String? = ""
        /// The synonym source.
        public var source: Int8 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", value: String? = "", source: Int8 = 0) {
            self.name = name
            self.value = value
            self.source = source
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            self.init()
            self.name = try buffer.readKafkaString(compact: flexible)
            self.value = try buffer.readKafkaNullableString(compact: flexible)
            self.source = try buffer.readKafkaInteger(as: Int8.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 4
            buffer.writeKafkaString(self.name, compact: flexible)
            buffer.writeKafkaString(self.value, compact: flexible)
            buffer.writeKafkaInteger(self.source)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }
}
