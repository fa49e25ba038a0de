import KafkaProtocol

/// Every failure a KafkaWire client reports: a code, whether retrying can help, and context.
/// Broker errors carry the broker's `KafkaErrorCode` (and its retriable flag from Kafka's table).
public struct KafkaError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case broker(KafkaErrorCode)
            case connectionFailed, connectionClosed, timedOut, unsupportedVersion, protocolViolation
            case invalidConfiguration, closed, bufferExhausted, unknownTopic, fenced, cancelled, notAssigned
            case authenticationFailed, tlsFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The broker answered with this error code.
        public static func broker(_ code: KafkaErrorCode) -> Code { Code(.broker(code)) }
        /// No TCP connection could be made to any candidate broker.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection closed with the request outstanding.
        public static let connectionClosed = Code(.connectionClosed)
        /// No response within the request timeout (or a delivery/poll timeout).
        public static let timedOut = Code(.timedOut)
        /// Client and broker share no version of a needed API.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The broker sent bytes that do not decode, or a response that does not fit the request.
        public static let protocolViolation = Code(.protocolViolation)
        /// A configuration value is invalid.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The client was closed.
        public static let closed = Code(.closed)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The producer's buffer stayed full for longer than max.block.
        public static let bufferExhausted = Code(.bufferExhausted)
        /// The topic does not exist (and was not created).
        public static let unknownTopic = Code(.unknownTopic)
        /// The producer was fenced or hit a fatal sequence error it could not recover from.
        public static let fenced = Code(.fenced)
        /// The consumer does not (or no longer) read the partition: a rebalance took it, or it
        /// was never assigned. Expected when waiting across rebalances.
        public static let notAssigned = Code(.notAssigned)

        /// SASL authentication failed: wrong password, unknown user, a mechanism the broker does
        /// not offer, or a server that could not prove it holds the credential. Final: retrying
        /// with the same settings cannot help.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The TLS handshake failed: an untrusted, expired or wrong-host certificate, a client
        /// certificate the broker refused, or TLS on one side only. Final, like authentication.
        public static let tlsFailed = Code(.tlsFailed)

        /// The broker error code, when this is one.
        public var brokerCode: KafkaErrorCode? {
            if case .broker(let code) = base { return code }
            return nil
        }

        public var description: String {
            switch base {
            case .broker(let code): return code.description
            default: return "\(base)"
            }
        }

        var defaultRetriable: Bool {
            switch base {
            case .broker(let code): return code.isRetriable
            case .connectionFailed, .connectionClosed, .timedOut: return true
            default: return false
            }
        }
    }

    public var code: Code
    /// Whether the same request may succeed if retried (Kafka's RetriableException).
    public var isRetriable: Bool
    public var message: String

    public init(_ code: Code, _ message: String, retriable: Bool? = nil) {
        self.code = code
        self.message = message
        self.isRetriable = retriable ?? code.defaultRetriable
    }

    /// A broker error code as an error; nil for NONE.
    public init?(brokerCode raw: Int16, _ context: @autoclosure () -> String) {
        let code = KafkaErrorCode(rawValue: raw)
        guard code != KafkaErrorCode.none else { return nil }
        self.init(.broker(code), "\(context()): \(code.message)")
    }

    public var description: String { "\(code): \(message)" }
}
