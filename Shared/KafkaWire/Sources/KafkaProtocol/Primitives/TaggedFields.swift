import NIOCore

/// A tagged field this library does not know. Kept so that decode then encode gives back
/// the same bytes (KIP-482: newer peers may add tags older code must carry through).
public struct UnknownTaggedField: Hashable, Sendable {
    public var tag: UInt32
    public var data: ByteBuffer

    public init(tag: UInt32, data: ByteBuffer) {
        self.tag = tag
        self.data = data
    }
}

extension ByteBuffer {
    /// Reads a tagged-field section. `known` is called for each tag with a buffer holding
    /// exactly that field's bytes and returns false for tags it does not know; those are
    /// returned so the caller can keep them.
    @inlinable
    public mutating func readTaggedFields(
        _ known: (UInt32, inout ByteBuffer) throws -> Bool
    ) throws -> [UnknownTaggedField] {
        let count = try readUnsignedVarint()
        guard count <= readableBytes else {
            throw ProtocolError(.invalidLength, "\(count) tagged fields in \(readableBytes) bytes")
        }
        var unknown: [UnknownTaggedField] = []
        var previousTag: Int64 = -1
        for _ in 0..<count {
            let tag = try readUnsignedVarint()
            guard Int64(tag) > previousTag else {
                throw ProtocolError(.invalidValue, "tagged fields out of order: \(tag) after \(previousTag)")
            }
            previousTag = Int64(tag)
            let size = Int(try readUnsignedVarint())
            guard var field = readSlice(length: size) else {
                throw ProtocolError(.truncated, "tagged field \(tag) of \(size) bytes, \(readableBytes) left")
            }
            if try !known(tag, &field) {
                unknown.append(UnknownTaggedField(tag: tag, data: field))
            }
        }
        return unknown
    }

    /// Writes a tagged-field section: `known` fields (already encoded, with their tags) merged
    /// with `unknown` ones in ascending tag order, as the protocol requires.
    @inlinable
    public mutating func writeTaggedFields(known: [UnknownTaggedField], unknown: [UnknownTaggedField]) {
        if known.isEmpty && unknown.isEmpty {
            writeUnsignedVarint(0)
            return
        }
        let all = (known + unknown).sorted { $0.tag < $1.tag }
        writeUnsignedVarint(UInt32(all.count))
        for var field in all {
            writeUnsignedVarint(field.tag)
            writeUnsignedVarint(UInt32(field.data.readableBytes))
            writeBuffer(&field.data)
        }
    }
}
