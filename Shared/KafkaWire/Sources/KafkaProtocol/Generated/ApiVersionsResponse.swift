// GENERATED FILE - DO NOT EDIT. Generated from message/ApiVersionsResponse.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// "ApiVersionsResponse" (versions 0-4, flexible 3+).
public struct ApiVersionsResponse: KafkaResponseMessage {
    public static let apiKey: APIKey = .apiVersions
    public static let validVersions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 3

    /// The top-level error code.
    public var errorCode: Int16 = 0
    /// The APIs supported by the broker.
    public var apiKeys: [ApiVersion] = []
    /// The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota.
    public var throttleTimeMs: Int32 = 0
    /// Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are omitted.
    public var supportedFeatures: [SupportedFeatureKey] = []
    /// The monotonically increasing epoch for the finalized features information. Valid values are >= 0. A value of -1 is special and represents unknown epoch.
    public var finalizedFeaturesEpoch: Int64 = -1
    /// List of cluster-wide finalized features. The information is valid only if FinalizedFeaturesEpoch >= 0.
    public var finalizedFeatures: [FinalizedFeatureKey] = []
    /// Set by a KRaft controller if the required configurations for ZK migration are present
    public var zkMigrationReady: Bool = false
    /// Tagged fields this library does not know, kept so they are written back.
    public var unknownTaggedFields: [UnknownTaggedField] = []

    public init() {}

    public init(errorCode: Int16 = 0, apiKeys: [ApiVersion] = [], throttleTimeMs: Int32 = 0, supportedFeatures: [SupportedFeatureKey] = [], finalizedFeaturesEpoch: Int64 = -1, finalizedFeatures: [FinalizedFeatureKey] = [], zkMigrationReady: Bool = false) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
        self.supportedFeatures = supportedFeatures
        self.finalizedFeaturesEpoch = finalizedFeaturesEpoch
        self.finalizedFeatures = finalizedFeatures
        self.zkMigrationReady = zkMigrationReady
    }

    public init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ApiVersionsResponse does not support version \(version)")
        }
        let flexible = version >= 3
        self.init()
        self.errorCode = try buffer.readKafkaInteger(as: Int16.self)
        do {
            guard let count1 = try buffer.readKafkaArrayCount(compact: flexible) else {
                throw ProtocolError(.invalidLength, "null array in non-nullable ApiVersionsResponse.apiKeys")
            }
            var array2: [ApiVersion] = []
            array2.reserveCapacity(count1)
            for _ in 0..<count1 {
                array2.append(try ApiVersion(from: &buffer, version: version))
            }
            self.apiKeys = array2
        }
        if version >= 1 {
            self.throttleTimeMs = try buffer.readKafkaInteger(as: Int32.self)
        }
        if flexible {
            let unknown = try buffer.readTaggedFields { tag, field in
                switch tag {
                case 0:
                    do {
                        guard let count3 = try field.readKafkaArrayCount(compact: true) else {
                            throw ProtocolError(.invalidLength, "null array in non-nullable ApiVersionsResponse.supportedFeatures")
                        }
                        var array4: [SupportedFeatureKey] = []
                        array4.reserveCapacity(count3)
                        for _ in 0..<count3 {
                            array4.append(try SupportedFeatureKey(from: &field, version: version))
                        }
                        self.supportedFeatures = array4
                    }
                    return true
                case 1:
                    self.finalizedFeaturesEpoch = try field.readKafkaInteger(as: Int64.self)
                    return true
                case 2:
                    do {
                        guard let count5 = try field.readKafkaArrayCount(compact: true) else {
                            throw ProtocolError(.invalidLength, "null array in non-nullable ApiVersionsResponse.finalizedFeatures")
                        }
                        var array6: [FinalizedFeatureKey] = []
                        array6.reserveCapacity(count5)
                        for _ in 0..<count5 {
                            array6.append(try FinalizedFeatureKey(from: &field, version: version))
                        }
                        self.finalizedFeatures = array6
                    }
                    return true
                case 3:
                    self.zkMigrationReady = try field.readKafkaBool()
                    return true
                default:
                    return false
                }
            }
            self.unknownTaggedFields = unknown
        }
    }

    public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.validVersions.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "ApiVersionsResponse does not support version \(version)")
        }
        let flexible = version >= 3
        buffer.writeKafkaInteger(self.errorCode)
        buffer.writeKafkaArrayCount(self.apiKeys.count, compact: flexible)
        for item1 in self.apiKeys {
            try item1.encode(to: &buffer, version: version)
        }
        if version >= 1 {
            buffer.writeKafkaInteger(self.throttleTimeMs)
        }
        if flexible {
            var taggedFields: [UnknownTaggedField] = []
            if !self.supportedFeatures.isEmpty {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaArrayCount(self.supportedFeatures.count, compact: true)
                for item2 in self.supportedFeatures {
                    try item2.encode(to: &tagBuffer, version: version)
                }
                taggedFields.append(UnknownTaggedField(tag: 0, data: tagBuffer))
            }
            if self.finalizedFeaturesEpoch != -1 {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaInteger(self.finalizedFeaturesEpoch)
                taggedFields.append(UnknownTaggedField(tag: 1, data: tagBuffer))
            }
            if !self.finalizedFeatures.isEmpty {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaArrayCount(self.finalizedFeatures.count, compact: true)
                for item3 in self.finalizedFeatures {
                    try item3.encode(to: &tagBuffer, version: version)
                }
                taggedFields.append(UnknownTaggedField(tag: 2, data: tagBuffer))
            }
            if self.zkMigrationReady != false {
                var tagBuffer = ByteBuffer()
                tagBuffer.writeKafkaBool(self.zkMigrationReady)
                taggedFields.append(UnknownTaggedField(tag: 3, data: tagBuffer))
            }
            buffer.writeTaggedFields(known: taggedFields, unknown: self.unknownTaggedFields)
        }
    }

    /// The APIs supported by the broker.
    public struct ApiVersion: Hashable, Sendable {
        /// The API index.
        public var apiKey: Int16 = 0
        /// The minimum supported version, inclusive.
        public var minVersion: Int16 = 0
        /// The maximum supported version, inclusive.
        public var maxVersion: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(apiKey: Int16 = 0, minVersion: Int16 = 0, maxVersion: Int16 = 0) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 3
            self.init()
            self.apiKey = try buffer.readKafkaInteger(as: Int16.self)
            self.minVersion = try buffer.readKafkaInteger(as: Int16.self)
            self.maxVersion = try buffer.readKafkaInteger(as: Int16.self)
            if flexible {
                let unknown = try buffer.readTaggedFields { _, _ in false }
                self.unknownTaggedFields = unknown
            }
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            let flexible = version >= 3
            buffer.writeKafkaInteger(self.apiKey)
            buffer.writeKafkaInteger(self.minVersion)
            buffer.writeKafkaInteger(self.maxVersion)
            if flexible {
                buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
            }
        }
    }

    /// Features supported by the broker. Note: in v0-v3, features with MinSupportedVersion = 0 are omitted.
    public struct SupportedFeatureKey: Hashable, Sendable {
        /// The name of the feature.
        public var name: String = ""
        /// The minimum supported version for the feature.
        public var minVersion: Int16 = 0
        /// The maximum supported version for the feature.
        public var maxVersion: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", minVersion: Int16 = 0, maxVersion: Int16 = 0) {
            self.name = name
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaString(compact: true)
            self.minVersion = try buffer.readKafkaInteger(as: Int16.self)
            self.maxVersion = try buffer.readKafkaInteger(as: Int16.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaInteger(self.minVersion)
            buffer.writeKafkaInteger(self.maxVersion)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }

    /// List of cluster-wide finalized features. The information is valid only if FinalizedFeaturesEpoch >= 0.
    public struct FinalizedFeatureKey: Hashable, Sendable {
        /// The name of the feature.
        public var name: String = ""
        /// The cluster-wide finalized max version level for the feature.
        public var maxVersionLevel: Int16 = 0
        /// The cluster-wide finalized min version level for the feature.
        public var minVersionLevel: Int16 = 0
        /// Tagged fields this library does not know, kept so they are written back.
        public var unknownTaggedFields: [UnknownTaggedField] = []

        public init() {}

        public init(name: String = "", maxVersionLevel: Int16 = 0, minVersionLevel: Int16 = 0) {
            self.name = name
            self.maxVersionLevel = maxVersionLevel
            self.minVersionLevel = minVersionLevel
        }

        public init(from buffer: inout ByteBuffer, version: Int16) throws {
            self.init()
            self.name = try buffer.readKafkaString(compact: true)
            self.maxVersionLevel = try buffer.readKafkaInteger(as: Int16.self)
            self.minVersionLevel = try buffer.readKafkaInteger(as: Int16.self)
            let unknown = try buffer.readTaggedFields { _, _ in false }
            self.unknownTaggedFields = unknown
        }

        public func encode(to buffer: inout ByteBuffer, version: Int16) throws {
            buffer.writeKafkaString(self.name, compact: true)
            buffer.writeKafkaInteger(self.maxVersionLevel)
            buffer.writeKafkaInteger(self.minVersionLevel)
            buffer.writeTaggedFields(known: [], unknown: self.unknownTaggedFields)
        }
    }
}
