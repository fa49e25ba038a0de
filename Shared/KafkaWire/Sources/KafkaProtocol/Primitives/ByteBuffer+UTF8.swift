import NIOCore

extension ByteBuffer {
    /// The readable bytes as a String if they are valid UTF-8. ASCII (nearly every topic name,
    /// header key and client id) takes a fast path: the generic `String(validating:as:)`
    /// looks up type metadata on every call, several times per consumed record.
    @inlinable
    public func readableBytesAsValidUTF8() -> String? {
        withUnsafeReadableBytes { bytes in
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(validating: bytes, as: UTF8.self)
        }
    }
}
