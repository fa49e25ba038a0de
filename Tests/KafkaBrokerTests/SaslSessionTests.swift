@testable import KafkaBroker
import Foundation
import KafkaProtocol
import KafkaSecurity
import NIOCore
import Testing

/// The broker's per-connection SASL state machine, given requests and a clock, without sockets.
@Suite("SaslSession")
struct SaslSessionTests {
    private static let users: SaslUsers = {
        var users = SaslUsers()
        try! users.set(user: "alice", password: "wonderland")
        try! users.set(user: "bob", password: "builder")
        return users
    }()
    private let enabled: [SaslMechanism] = [.plain, .scramSHA256, .scramSHA512]

    private func authenticate(_ session: inout SaslSession, _ bytes: [UInt8], lifetime: Int64? = nil, now: Int64 = 0) -> SaslAuthenticateResponse {
        session.authenticate(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: bytes)), users: Self.users,
                             sessionLifetimeMilliseconds: lifetime, nowMilliseconds: now)
    }

    private func handshake(_ session: inout SaslSession, _ mechanism: String) -> SaslHandshakeResponse {
        session.handshake(SaslHandshakeRequest(mechanism: mechanism), enabled: enabled)
    }

    @Test("before authentication only ApiVersions and the SASL pair are admitted")
    func gate() {
        let session = SaslSession(required: true)
        #expect(session.admits(.apiVersions, nowMilliseconds: 0) == .admitted)
        #expect(session.admits(.saslHandshake, nowMilliseconds: 0) == .admitted)
        #expect(session.admits(.metadata, nowMilliseconds: 0) != .admitted)
        #expect(session.admits(.produce, nowMilliseconds: 0) != .admitted)
        #expect(SaslSession(required: false).admits(.produce, nowMilliseconds: 0) == .admitted)
    }

    @Test("PLAIN with the right password authenticates; the wrong one is answered, then the connection closes")
    func plain() {
        var session = SaslSession(required: true)
        #expect(handshake(&session, "PLAIN").errorCode == 0)
        let ok = authenticate(&session, PlainMechanism.clientMessage(username: "alice", password: "wonderland"))
        #expect(ok.errorCode == 0)
        #expect(session.principal?.user == "alice")
        #expect(session.admits(.produce, nowMilliseconds: 0) == .admitted)

        var wrong = SaslSession(required: true)
        _ = handshake(&wrong, "PLAIN")
        let refused = authenticate(&wrong, PlainMechanism.clientMessage(username: "alice", password: "nope"))
        #expect(refused.errorCode == KafkaErrorCode.saslAuthenticationFailed.rawValue)
        #expect(refused.errorMessage?.contains("nope") == false)
        #expect(wrong.closeAfterResponse)
        #expect(wrong.principal == nil)
    }

    @Test("a mechanism not enabled is refused with the list of those that are")
    func unsupportedMechanism() {
        var session = SaslSession(required: true)
        let response = handshake(&session, "GSSAPI")
        #expect(response.errorCode == KafkaErrorCode.unsupportedSaslMechanism.rawValue)
        #expect(response.mechanisms == ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
        #expect(session.closeAfterResponse)
    }

    @Test("SCRAM through the session, and SaslAuthenticate without a handshake is refused")
    func scram() throws {
        var session = SaslSession(required: true)
        #expect(authenticate(&session, [1, 2, 3]).errorCode == KafkaErrorCode.illegalSaslState.rawValue)

        session = SaslSession(required: true)
        _ = handshake(&session, "SCRAM-SHA-512")
        var client = ScramClient(algorithm: .sha512, username: "bob", password: "builder")
        let first = authenticate(&session, client.firstMessage())
        #expect(first.errorCode == 0)
        let final = authenticate(&session, try client.finalMessage(answering: Array(buffer: first.authBytes)), lifetime: 5000, now: 1000)
        #expect(final.errorCode == 0)
        #expect(final.sessionLifetimeMs == 5000)
        try client.verify(serverFinal: Array(buffer: final.authBytes))
        #expect(session.principal == .init(user: "bob", mechanism: .scramSHA512, expiresAtMilliseconds: 6000))
    }

    @Test("a session with a lifetime must re-authenticate, as the same user, before it ends (KIP-368)")
    func reauthentication() {
        var session = SaslSession(required: true)
        _ = handshake(&session, "PLAIN")
        _ = authenticate(&session, PlainMechanism.clientMessage(username: "alice", password: "wonderland"), lifetime: 1000, now: 0)
        #expect(session.admits(.fetch, nowMilliseconds: 999) == .admitted)
        #expect(session.admits(.fetch, nowMilliseconds: 1000) != .admitted)

        // Re-authenticated in time: the session goes on, counted.
        _ = handshake(&session, "PLAIN")
        #expect(session.admits(.fetch, nowMilliseconds: 500) != .admitted)  // not during the exchange
        let again = authenticate(&session, PlainMechanism.clientMessage(username: "alice", password: "wonderland"), lifetime: 1000, now: 900)
        #expect(again.errorCode == 0)
        #expect(session.reauthentications == 1)
        #expect(session.admits(.fetch, nowMilliseconds: 1500) == .admitted)

        // Another user, or another mechanism, cannot take the connection over.
        _ = handshake(&session, "PLAIN")
        let other = authenticate(&session, PlainMechanism.clientMessage(username: "bob", password: "builder"), lifetime: 1000, now: 1000)
        #expect(other.errorCode == KafkaErrorCode.saslAuthenticationFailed.rawValue)
        #expect(session.closeAfterResponse)
        var switching = SaslSession(required: true)
        _ = handshake(&switching, "PLAIN")
        _ = authenticate(&switching, PlainMechanism.clientMessage(username: "alice", password: "wonderland"))
        #expect(handshake(&switching, "SCRAM-SHA-256").errorCode == KafkaErrorCode.unsupportedSaslMechanism.rawValue)
    }

    @Test("random bytes in either SASL message never crash the session", arguments: 0..<50)
    func randomInput(seed: Int) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for mechanism in ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] {
            var session = SaslSession(required: true)
            _ = handshake(&session, mechanism)
            let response = authenticate(&session, bytes)
            if response.errorCode == 0 { _ = authenticate(&session, bytes) }
            #expect(session.principal == nil)
        }
    }
}

@Suite("OAUTHBEARER on the dev broker (unsecured tokens, as Kafka's default validator)")
struct OAuthBearerSessionTests {
    private func token(_ claims: String, alg: String = "none") -> String {
        func part(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        }
        return "\(part("{\"alg\":\"\(alg)\"}")).\(part(claims))."
    }

    private func login(_ token: String, now: Int64, lifetime: Int64? = nil) throws -> (SaslAuthenticateResponse, SaslSession) {
        var session = SaslSession(required: true)
        #expect(session.handshake(SaslHandshakeRequest(mechanism: "OAUTHBEARER"), enabled: [.oauthBearer]).errorCode == 0)
        let message = try OAuthBearerMechanism.clientMessage(token: token)
        let response = session.authenticate(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: message)), users: SaslUsers(),
                                            sessionLifetimeMilliseconds: lifetime, nowMilliseconds: now)
        return (response, session)
    }

    @Test("a valid token authenticates its subject until it expires")
    func valid() throws {
        let (response, session) = try login(token("{\"sub\":\"carol\",\"exp\":2000}"), now: 1_000_000)
        #expect(response.errorCode == 0)
        #expect(response.sessionLifetimeMs == 1_000_000)
        #expect(session.principal?.user == "carol")
        let (capped, _) = try login(token("{\"sub\":\"carol\",\"exp\":2000}"), now: 1_000_000, lifetime: 3000)
        #expect(capped.sessionLifetimeMs == 3000)
    }

    @Test("expired, unsigned-but-claiming-a-signature, subjectless and garbage tokens are refused")
    func refused() throws {
        for bad in [token("{\"sub\":\"carol\",\"exp\":1}"), token("{\"sub\":\"carol\",\"exp\":2000}", alg: "HS256"),
                    token("{\"exp\":2000}"), token("{\"sub\":\"x\\nkafka.user=admin Client authenticated\",\"exp\":2000}"),
                    token("{\"sub\":\"carol\",\"exp\":1e16}"), "not-a-jwt", "a.b.c"] {
            let (challenge, refused) = try login(bad, now: 1_000_000)
            var session = refused
            // RFC 7628: an error challenge first, the failure once the client answers 0x01.
            #expect(challenge.errorCode == 0)
            #expect(String(buffer: challenge.authBytes).contains("invalid_token"), "\(bad)")
            let failure = session.authenticate(SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: [0x01])), users: SaslUsers(),
                                               sessionLifetimeMilliseconds: nil, nowMilliseconds: 1_000_000)
            #expect(failure.errorCode == KafkaErrorCode.saslAuthenticationFailed.rawValue)
            #expect(session.closeAfterResponse)
            #expect(session.principal == nil)
        }
    }
}
