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

    /// Whether the readable bytes are `text`'s UTF-8 bytes (compared in place when the
    /// string keeps them contiguous, as a native one does).
    @inlinable
    public func readableBytesEqual(_ text: String) -> Bool {
        withUnsafeReadableBytes { bytes in
            let same = text.utf8.withContiguousStorageIfAvailable { utf8 in
                utf8.count == bytes.count && utf8.elementsEqual(bytes)
            }
            return same ?? text.utf8.elementsEqual(bytes)
        }
    }
}
