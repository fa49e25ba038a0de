/// Why a SASL exchange failed, on either side. Messages never contain a password, a proof or a
/// token: only names, mechanisms and what was malformed.
public struct SaslError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        /// The peer's message does not follow the mechanism's grammar.
        case malformedMessage
        /// Wrong password or unknown user (the server does not say which, as Kafka does not).
        case invalidCredentials
        /// The server's signature (SCRAM's `v=`) does not prove it knows the credential.
        case serverSignatureMismatch
        /// The server answered with an error attribute (SCRAM's `e=`).
        case serverRejected
        /// A message arrived when the exchange was already over, or out of turn.
        case unexpectedMessage
        /// Parameters the mechanism refuses (too few SCRAM iterations, a nonce not extended).
        case unacceptableParameters
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
