extension String {
    /// `String(validating: bytes, as: UTF8.self)` with a fast path for ASCII, which every
    /// envelope header and nearly every key is: the generic validation looks up type metadata
    /// on each call, and the fold of a partition makes several of these per record.
    @inlinable
    public init?(utf8Bytes bytes: some Collection<UInt8>) {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            self = String(decoding: bytes, as: UTF8.self)
        } else if let text = String(validating: bytes, as: UTF8.self) {
            self = text
        } else {
            return nil
        }
    }
}
