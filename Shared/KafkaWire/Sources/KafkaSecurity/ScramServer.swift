/// The server side of a SCRAM exchange, as a value with two steps and no I/O: the dev broker
/// feeds it each SaslAuthenticate body. `lookup` gives the stored credential of a user, or nil.
///
/// An unknown user gets a made-up salt and fails at the proof, like a wrong password, so the
/// exchange does not reveal which user names exist.
public struct ScramServer: Sendable {
    private enum State: Sendable {
        case awaitingClientFirst
        case awaitingClientFinal(Pending)
        case done
    }

    private struct Pending: Sendable {
        var username: String
        var credential: ScramCredential?
        var gs2Header: String
        var nonce: String
        var authMessagePrefix: String
    }

    public let algorithm: ScramAlgorithm
    private let serverNonce: String
    private var state = State.awaitingClientFirst

    public init(algorithm: ScramAlgorithm, nonce: String = ScramNonce.make()) {
        self.algorithm = algorithm
        self.serverNonce = nonce
    }

    /// Reads client-first-message; returns server-first-message.
    public mutating func serverFirst(
        answering clientFirst: [UInt8], lookup: (String) -> ScramCredential?
    ) throws(SaslError) -> [UInt8] {
        guard case .awaitingClientFirst = state else { throw SaslError(.unexpectedMessage, "client-first-message out of turn") }
        state = .done
        guard let text = String(validating: clientFirst, as: UTF8.self) else {
            throw SaslError(.malformedMessage, "client-first-message is not UTF-8")
        }
        // gs2-header = cbind-flag "," [authzid] ","; channel binding is not offered.
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "n" || parts[0] == "y" else {
            throw SaslError(.malformedMessage, "client-first-message needs a gs2 header without channel binding")
        }
        let bare = String(parts[2])
        let message = try ScramMessage(bare)
        let username = try ScramMessage.unescape(username: try message.required("n", in: "client-first-message"))
        let clientNonce = try message.required("r", in: "client-first-message")
        guard !clientNonce.isEmpty, !username.isEmpty else {
            throw SaslError(.malformedMessage, "client-first-message has an empty user name or nonce")
        }
        // An authorization id (gs2's "a="), when given, must be the user itself: acting as
        // another user is refused, as Kafka does.
        if !parts[1].isEmpty {
            guard parts[1].hasPrefix("a="), try ScramMessage.unescape(username: String(parts[1].dropFirst(2))) == username else {
                throw SaslError(.invalidCredentials, "authorization id differs from the user name")
            }
        }
        let credential = lookup(username)
        let salt = credential?.salt ?? Self.unknownUserSalt(username, algorithm: algorithm)
        let iterations = credential?.iterations ?? ScramAlgorithm.iterationRange.lowerBound
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(Base64.encode(salt)),i=\(iterations)"
        state = .awaitingClientFinal(Pending(
            username: username, credential: credential, gs2Header: "\(parts[0]),\(parts[1]),",
            nonce: nonce, authMessagePrefix: "\(bare),\(serverFirst)"))
        return Array(serverFirst.utf8)
    }

    /// A made-up salt for a user that does not exist: the same on every connection to this
    /// process and as long as a real one (32 bytes), so that two attempts do not tell a real
    /// user from an unknown one.
    private static let unknownUserKey = ScramNonce.randomBytes(count: 32)

    static func unknownUserSalt(_ username: String, algorithm: ScramAlgorithm) -> [UInt8] {
        Array(algorithm.hmac(key: unknownUserKey, Array(username.utf8)).prefix(32))
    }

    /// Reads client-final-message; returns server-final-message and the authenticated user.
    public mutating func serverFinal(answering clientFinal: [UInt8]) throws(SaslError) -> (message: [UInt8], username: String) {
        guard case .awaitingClientFinal(let pending) = state else {
            throw SaslError(.unexpectedMessage, "client-final-message out of turn")
        }
        state = .done
        guard let text = String(validating: clientFinal, as: UTF8.self) else {
            throw SaslError(.malformedMessage, "client-final-message is not UTF-8")
        }
        let message = try ScramMessage(text)
        let binding = try message.required("c", in: "client-final-message")
        guard Base64.decode(binding) == Array(pending.gs2Header.utf8) else {
            throw SaslError(.malformedMessage, "client-final-message channel binding does not match its gs2 header")
        }
        // Kafka's broker checks only that the nonce ends with the server's combined one, and
        // librdkafka before 2.1 sends the client nonce twice: accept what Kafka accepts.
        guard try message.required("r", in: "client-final-message").hasSuffix(pending.nonce) else {
            throw SaslError(.unacceptableParameters, "client-final-message nonce is not the server's")
        }
        guard let proofIndex = text.range(of: ",p=") else {
            throw SaslError(.malformedMessage, "client-final-message has no proof")
        }
        guard let proof = Base64.decode(text[proofIndex.upperBound...]), let credential = pending.credential else {
            throw SaslError(.invalidCredentials, "invalid credentials")
        }
        let withoutProof = String(text[..<proofIndex.lowerBound])
        let authMessage = Array("\(pending.authMessagePrefix),\(withoutProof)".utf8)
        let clientSignature = algorithm.hmac(key: credential.storedKey, authMessage)
        guard proof.count == clientSignature.count,
            ScramKeys.constantTimeEqual(algorithm.hash(ScramKeys.xor(proof, clientSignature)), credential.storedKey)
        else {
            throw SaslError(.invalidCredentials, "invalid credentials")
        }
        let signature = algorithm.hmac(key: credential.serverKey, authMessage)
        return (Array("v=\(Base64.encode(signature))".utf8), pending.username)
    }
}
