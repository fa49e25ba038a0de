import CCRC32C
import NIOCore

/// CRC-32C (Castagnoli), the checksum of RecordBatch v2 (KIP-98). A thin wrapper over the
/// C target, which uses the SSE4.2 `crc32` instruction when the CPU has it and a
/// slicing-by-8 table otherwise.
public enum CRC32C {
    /// Checksum of `bytes`, extending `initial` (a previous result; 0 to start).
    @inlinable
    public static func checksum(_ bytes: UnsafeRawBufferPointer, extending initial: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return initial }
        return kafkawire_crc32c(initial, base, bytes.count)
    }

    /// Checksum of the readable bytes of `buffer`.
    @inlinable
    public static func checksum(_ buffer: ByteBuffer, extending initial: UInt32 = 0) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0, extending: initial) }
    }

    /// Checksum of `length` bytes of `buffer` starting at the absolute index `index`
    /// (which must lie within the readable bytes). Nil when the range is out of bounds.
    @inlinable
    public static func checksum(_ buffer: ByteBuffer, at index: Int, length: Int) -> UInt32? {
        let start = index - buffer.readerIndex
        guard start >= 0, length >= 0, start + length <= buffer.readableBytes else { return nil }
        return buffer.withUnsafeReadableBytes { bytes in
            checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
        }
    }

    /// Checksum of a byte array.
    @inlinable
    public static func checksum(_ bytes: [UInt8], extending initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, extending: initial) }
    }

    /// The same checksum computed with the lookup table only, never the CPU instruction.
    /// For tests that compare the two paths.
    public static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, extending initial: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return initial }
        return kafkawire_crc32c_software(initial, base, bytes.count)
    }

    /// Table-only checksum of a byte array.
    public static func softwareChecksum(_ bytes: [UInt8], extending initial: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { softwareChecksum($0, extending: initial) }
    }
}
