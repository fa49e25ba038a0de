import KafkaProtocol
import KafkaSecurity
import NIOCore

/// One connection's SASL state on a SASL listener, as a value: which requests it admits, and
/// what each SaslHandshake and SaslAuthenticate does to it. No I/O; `Broker` applies it.
///
/// As in Kafka: before authentication only ApiVersions and the SASL pair are admitted; a
/// failed authentication is answered and then the connection is closed; a session with a
/// lifetime (connections.max.reauth.ms) must re-authenticate, as the same user, before it ends,
/// or its next request closes the connection (KIP-368).
struct SaslSession: Sendable {
    enum State: Sendable {
        /// The listener does not use SASL.
        case notRequired
        case awaitingHandshake(previous: Principal?)
        case awaitingFirstMessage(SaslMechanism, previous: Principal?)
        case awaitingScramFinal(ScramServer, SaslMechanism, previous: Principal?)
        /// An OAUTHBEARER token was refused with an error challenge; the client's 0x01 ends it.
        case awaitingOAuthBearerAbort(reason: String, previous: Principal?)
        case authenticated(Principal)
    }

    struct Principal: Sendable, Equatable {
        var user: String
        var mechanism: SaslMechanism
        /// Milliseconds since the epoch after which the session is over; nil: never.
        var expiresAtMilliseconds: Int64?
    }

    enum Admission: Equatable {
        case admitted
        case refused(String)
    }

    private(set) var state: State
    /// Set when the answer just produced is the last: the connection closes once it is written.
    private(set) var closeAfterResponse = false
    /// How many times this connection has re-authenticated (logged by the broker).
    private(set) var reauthentications = 0

    init(required: Bool) {
        state = required ? .awaitingHandshake(previous: nil) : .notRequired
    }

    var principal: Principal? {
        if case .authenticated(let principal) = state { return principal }
        return nil
    }

    /// Whether a request of this API may be served now.
    func admits(_ apiKey: APIKey, nowMilliseconds: Int64) -> Admission {
        if apiKey == .apiVersions || apiKey == .saslHandshake || apiKey == .saslAuthenticate { return .admitted }
        switch state {
        case .notRequired:
            return .admitted
        case .authenticated(let principal):
            if let end = principal.expiresAtMilliseconds, nowMilliseconds >= end {
                return .refused("the SASL session of \(principal.user) expired and was not re-authenticated")
            }
            return .admitted
        case .awaitingHandshake(let previous), .awaitingFirstMessage(_, let previous), .awaitingScramFinal(_, _, let previous),
            .awaitingOAuthBearerAbort(_, let previous):
            return .refused("\(apiKey.name) \(previous == nil ? "before SASL authentication" : "during SASL re-authentication")")
        }
    }

    mutating func handshake(_ request: SaslHandshakeRequest, enabled: [SaslMechanism]) -> SaslHandshakeResponse {
        let offered = enabled.map(\.rawValue)
        let previous: Principal?
        switch state {
        case .notRequired:
            return SaslHandshakeResponse(errorCode: KafkaErrorCode.illegalSaslState.rawValue, mechanisms: [])
        case .awaitingHandshake(let earlier):
            previous = earlier
        case .authenticated(let principal):
            previous = principal
        case .awaitingFirstMessage, .awaitingScramFinal, .awaitingOAuthBearerAbort:
            closeAfterResponse = true
            return SaslHandshakeResponse(errorCode: KafkaErrorCode.illegalSaslState.rawValue, mechanisms: offered)
        }
        guard let mechanism = SaslMechanism(name: request.mechanism), enabled.contains(mechanism),
            previous == nil || previous?.mechanism == mechanism
        else {
            closeAfterResponse = true
            return SaslHandshakeResponse(errorCode: KafkaErrorCode.unsupportedSaslMechanism.rawValue, mechanisms: offered)
        }
        state = .awaitingFirstMessage(mechanism, previous: previous)
        return SaslHandshakeResponse(errorCode: 0, mechanisms: offered)
    }

    mutating func authenticate(
        _ request: SaslAuthenticateRequest, users: SaslUsers, sessionLifetimeMilliseconds: Int64?, nowMilliseconds: Int64
    ) -> SaslAuthenticateResponse {
        let bytes = Array(buffer: request.authBytes)
        do throws(SaslError) {
            switch state {
            case .awaitingFirstMessage(let mechanism, let previous):
                if let algorithm = mechanism.scramAlgorithm {
                    var server = ScramServer(algorithm: algorithm)
                    let answer = try server.serverFirst(answering: bytes) { users.credential(user: $0, algorithm: algorithm) }
                    state = .awaitingScramFinal(server, mechanism, previous: previous)
                    return SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: ByteBuffer(bytes: answer))
                }
                if mechanism == .oauthBearer {
                    guard let token = OAuthBearerMechanism.token(in: bytes) else {
                        throw SaslError(.malformedMessage, "OAUTHBEARER message without auth=Bearer")
                    }
                    let claims: UnsecuredJWTValidator.Claims
                    do {
                        claims = try UnsecuredJWTValidator.validate(token, nowMilliseconds: nowMilliseconds)
                    } catch {
                        // RFC 7628 3.2.2, as Kafka answers: an error challenge, not yet an error code.
                        state = .awaitingOAuthBearerAbort(reason: error.message, previous: previous)
                        return SaslAuthenticateResponse(errorCode: 0, errorMessage: nil,
                                                        authBytes: ByteBuffer(string: #"{"status":"invalid_token"}"#))
                    }
                    // The session ends with the token at the latest (KIP-368).
                    let lifetime = min(sessionLifetimeMilliseconds ?? Int64.max, claims.expiresAtMilliseconds - nowMilliseconds)
                    return try succeed(user: claims.subject, mechanism: mechanism, previous: previous, answer: [],
                                       lifetime: lifetime, now: nowMilliseconds)
                }
                let (user, password) = try PlainMechanism.parse(bytes)
                guard users.verify(user: user, password: password) else { throw SaslError(.invalidCredentials, "invalid credentials") }
                return try succeed(user: user, mechanism: mechanism, previous: previous, answer: [],
                                   lifetime: sessionLifetimeMilliseconds, now: nowMilliseconds)
            case .awaitingScramFinal(var server, let mechanism, let previous):
                let (answer, user) = try server.serverFinal(answering: bytes)
                return try succeed(user: user, mechanism: mechanism, previous: previous, answer: answer,
                                   lifetime: sessionLifetimeMilliseconds, now: nowMilliseconds)
            case .awaitingOAuthBearerAbort(let reason, _):
                throw SaslError(.invalidCredentials, reason)
            case .notRequired, .awaitingHandshake, .authenticated:
                closeAfterResponse = true
                return SaslAuthenticateResponse(errorCode: KafkaErrorCode.illegalSaslState.rawValue,
                                                errorMessage: "SaslAuthenticate without a SaslHandshake first")
            }
        } catch {
            closeAfterResponse = true
            let mechanism = pendingMechanism.map(\.rawValue) ?? "SASL"
            // As Kafka words it; never which of user or password was wrong.
            let reason = error.kind == .invalidCredentials
                ? "Authentication failed during authentication due to invalid credentials with SASL mechanism \(mechanism)"
                : "Authentication failed: \(error.message)"
            return SaslAuthenticateResponse(errorCode: KafkaErrorCode.saslAuthenticationFailed.rawValue, errorMessage: reason)
        }
    }

    private var pendingMechanism: SaslMechanism? {
        switch state {
        case .awaitingFirstMessage(let mechanism, _), .awaitingScramFinal(_, let mechanism, _): return mechanism
        case .awaitingOAuthBearerAbort: return .oauthBearer
        default: return nil
        }
    }

    private mutating func succeed(
        user: String, mechanism: SaslMechanism, previous: Principal?, answer: [UInt8], lifetime: Int64?, now: Int64
    ) throws(SaslError) -> SaslAuthenticateResponse {
        if let previous {
            guard previous.user == user else {
                throw SaslError(.invalidCredentials, "re-authentication must be as the same user")
            }
            reauthentications += 1
        }
        state = .authenticated(Principal(user: user, mechanism: mechanism, expiresAtMilliseconds: lifetime.map { now + $0 }))
        return SaslAuthenticateResponse(errorCode: 0, errorMessage: nil, authBytes: ByteBuffer(bytes: answer),
                                        sessionLifetimeMs: lifetime ?? 0)
    }
}
