/// The client side of a SCRAM exchange (RFC 5802), as a value with three steps and no I/O:
/// `firstMessage`, then `finalMessage(answering:)` the server-first message, then
/// `verify(serverFinal:)`, which proves the server knew the credential too.
public struct ScramClient: Sendable {
    private enum State: Sendable {
        case initial
        case sentFirst
        case sentFinal(serverSignature: [UInt8])
        case done
    }

    public let algorithm: ScramAlgorithm
    private let username: String
    private let password: [UInt8]
    private let clientNonce: String
    private var state = State.initial

    /// - Parameter nonce: the client nonce; a fresh random one unless a test vector gives it.
    public init(algorithm: ScramAlgorithm, username: String, password: String, nonce: String = ScramNonce.make()) {
        self.algorithm = algorithm
        self.username = username
        self.password = Array(password.utf8)
        self.clientNonce = nonce
    }

    private var firstBare: String { "n=\(ScramMessage.escape(username: username)),r=\(clientNonce)" }

    /// client-first-message: no channel binding (`n,,`), as Kafka's clients send.
    public mutating func firstMessage() -> [UInt8] {
        state = .sentFirst
        return Array(("n,," + firstBare).utf8)
    }

    /// Reads server-first-message and returns client-final-message with the proof.
    public mutating func finalMessage(answering serverFirst: [UInt8]) throws(SaslError) -> [UInt8] {
        guard case .sentFirst = state else { throw SaslError(.unexpectedMessage, "server-first-message out of turn") }
        guard let text = String(validating: serverFirst, as: UTF8.self) else {
            throw SaslError(.malformedMessage, "server-first-message is not UTF-8")
        }
        let message = try ScramMessage(text)
        if let error = message["e"] { throw SaslError(.serverRejected, "server refused: \(error)") }
        let nonce = try message.required("r", in: "server-first-message")
        guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw SaslError(.unacceptableParameters, "server nonce does not extend the client's")
        }
        guard let salt = Base64.decode(try message.required("s", in: "server-first-message")), !salt.isEmpty else {
            throw SaslError(.malformedMessage, "server-first-message salt is not base64")
        }
        guard let iterations = Int(try message.required("i", in: "server-first-message")),
            ScramAlgorithm.iterationRange.contains(iterations)
        else {
            throw SaslError(.unacceptableParameters, "server-first-message iteration count is not in \(ScramAlgorithm.iterationRange)")
        }
        let keys = try ScramKeys(password: password, salt: salt, iterations: iterations, algorithm: algorithm)
        let withoutProof = "c=biws,r=\(nonce)"  // biws = base64("n,,")
        let authMessage = Array("\(firstBare),\(text),\(withoutProof)".utf8)
        let clientSignature = algorithm.hmac(key: keys.storedKey, authMessage)
        let proof = ScramKeys.xor(keys.clientKey, clientSignature)
        state = .sentFinal(serverSignature: algorithm.hmac(key: keys.serverKey, authMessage))
        return Array("\(withoutProof),p=\(Base64.encode(proof))".utf8)
    }

    /// Checks server-final-message: its signature must be the one only a holder of the
    /// credential can compute. A wrong one is an error, never a success.
    public mutating func verify(serverFinal: [UInt8]) throws(SaslError) {
        guard case .sentFinal(let expected) = state else { throw SaslError(.unexpectedMessage, "server-final-message out of turn") }
        state = .done
        guard let text = String(validating: serverFinal, as: UTF8.self) else {
            throw SaslError(.malformedMessage, "server-final-message is not UTF-8")
        }
        let message = try ScramMessage(text)
        if let error = message["e"] { throw SaslError(.serverRejected, "server refused: \(error)") }
        guard let signature = Base64.decode(try message.required("v", in: "server-final-message")) else {
            throw SaslError(.malformedMessage, "server signature is not base64")
        }
        guard ScramKeys.constantTimeEqual(signature, expected) else {
            throw SaslError(.serverSignatureMismatch, "the server's SCRAM signature is wrong: it does not hold this user's credential")
        }
    }
}
