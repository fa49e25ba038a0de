import NIOCore

/// A failure to decode or encode Kafka protocol bytes.
///
/// Errors carry a code (what went wrong) and a context (where), never only a string,
/// so callers can match on the code and operators can read the context.
public struct ProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Fewer bytes were available than the encoding requires.
        public static let truncated = Code("truncated")
        /// A varint ran past its maximum length.
        public static let malformedVarint = Code("malformedVarint")
        /// A length prefix was negative where null is not allowed, or larger than the data.
        public static let invalidLength = Code("invalidLength")
        /// A string field was not valid UTF-8.
        public static let invalidUTF8 = Code("invalidUTF8")
        /// The peer sent a TLS record where a Kafka frame was expected: it speaks TLS and this
        /// side does not (a plaintext client on a TLS listener, or the reverse).
        public static let tlsRecord = Code("tlsRecord")
        /// The API key is not one this library knows.
        public static let unknownAPIKey = Code("unknownAPIKey")
        /// The message does not exist at the requested version.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// A non-nullable field held null at encode time, or a value does not fit its version.
        public static let invalidValue = Code("invalidValue")
        /// A record batch is malformed (bad magic, lengths, counts).
        public static let corruptRecordBatch = Code("corruptRecordBatch")
        /// A record batch's CRC32C does not match its contents.
        public static let crcMismatch = Code("crcMismatch")
        /// The compression codec id is unknown, or compressing/decompressing failed.
        public static let compression = Code("compression")
        /// A frame exceeded the configured maximum size.
        public static let frameTooLarge = Code("frameTooLarge")
    }

    public var code: Code
    public var context: String

    public init(_ code: Code, _ context: String) {
        self.code = code
        self.context = context
    }

    public var description: String { "\(code): \(context)" }
}
