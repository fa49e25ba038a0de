import NIOCore

/// The type of a control record: what a control batch marks.
public struct ControlRecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// A transaction was aborted: consumers in read_committed drop its records.
    public static let abort = ControlRecordType(rawValue: 0)
    /// A transaction was committed.
    public static let commit = ControlRecordType(rawValue: 1)
    /// KRaft metadata log types, carried through but not interpreted here.
    public static let leaderChange = ControlRecordType(rawValue: 2)
    public static let snapshotHeader = ControlRecordType(rawValue: 3)
    public static let snapshotFooter = ControlRecordType(rawValue: 4)
    public static let kraftVersion = ControlRecordType(rawValue: 5)
    public static let kraftVoters = ControlRecordType(rawValue: 6)

    public var description: String {
        switch rawValue {
        case 0: "abort"
        case 1: "commit"
        case 2: "leaderChange"
        case 3: "snapshotHeader"
        case 4: "snapshotFooter"
        case 5: "kraftVersion"
        case 6: "kraftVoters"
        default: "controlType(\(rawValue))"
        }
    }
}

/// The key of the single record in a control batch: `version: int16 (0), type: int16`.
public struct ControlRecord: Hashable, Sendable {
    public static let currentVersion: Int16 = 0
    public static let keySize = 4

    public var version: Int16
    public var type: ControlRecordType

    public init(version: Int16 = ControlRecord.currentVersion, type: ControlRecordType) {
        self.version = version
        self.type = type
    }

    /// Parses a control record key. Bytes after the type (a newer version's fields) are ignored.
    public init(key: ByteBuffer) throws {
        var key = key
        guard key.readableBytes >= Self.keySize else {
            throw ProtocolError(.corruptRecordBatch, "control record key of \(key.readableBytes) bytes, needs 4")
        }
        version = try key.readKafkaInteger()
        type = ControlRecordType(rawValue: try key.readKafkaInteger())
    }

    public func encodeKey(to buffer: inout ByteBuffer) {
        buffer.writeKafkaInteger(version)
        buffer.writeKafkaInteger(type.rawValue)
    }

    public func keyBuffer(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: Self.keySize)
        encodeKey(to: &buffer)
        return buffer
    }

    public var isTransactionMarker: Bool { type == .abort || type == .commit }
}

/// The value of a commit or abort control record: `version: int16 (0), coordinatorEpoch: int32`.
public struct EndTransactionMarker: Hashable, Sendable {
    public static let currentVersion: Int16 = 0
    public static let valueSize = 6

    public var version: Int16
    public var coordinatorEpoch: Int32

    public init(version: Int16 = EndTransactionMarker.currentVersion, coordinatorEpoch: Int32) {
        self.version = version
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// Parses a marker value; later versions' extra bytes are ignored.
    public init(value: ByteBuffer) throws {
        var value = value
        guard value.readableBytes >= Self.valueSize else {
            throw ProtocolError(.corruptRecordBatch, "end transaction marker of \(value.readableBytes) bytes, needs 6")
        }
        version = try value.readKafkaInteger()
        coordinatorEpoch = try value.readKafkaInteger()
    }

    public func encode(to buffer: inout ByteBuffer) {
        buffer.writeKafkaInteger(version)
        buffer.writeKafkaInteger(coordinatorEpoch)
    }

    public func valueBuffer(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: Self.valueSize)
        encode(to: &buffer)
        return buffer
    }
}
