import Crypto
import Foundation
import JWTKit
import NIOConcurrencyHelpers
import RouterTestSupport
import ServiceHTTP
import Testing

/// What a token must be to be taken, checked without HTTP: signature, algorithm, times,
/// issuer, audience; and the principal it gives.
struct TokenVerifierTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func aValidTokenGivesItsSubjectAndKnownRoles() async throws {
        let tokens = try await TestTokens()
        for es256 in [false, true] {
            let verifier = try await tokens.verifier(jwks: es256, now: { Self.now })
            let token = try await tokens.token(
                "alice", roles: ["customer", "auditor"], expires: Self.now + 60, es256: es256)
            #expect(try await verifier.verify(token) == Principal(subject: "alice", roles: [.customer]))
        }
    }

    @Test func timesAreCheckedWithASmallLeeway() async throws {
        let tokens = try await TestTokens()
        let verifier = try await tokens.verifier(now: { Self.now })
        // 30 s of leeway either way, not more.
        _ = try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now - 20))
        await #expect(throws: AuthenticationError.expired) {
            try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now - 31))
        }
        _ = try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 600, notBefore: Self.now + 20))
        await #expect(throws: AuthenticationError.notYetValid) {
            try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 600, notBefore: Self.now + 31))
        }
    }

    /// A token verified once is taken from the cache the next time, but its times are checked
    /// again: the same token expires while cached.
    @Test func aCachedTokenStillExpires() async throws {
        let tokens = try await TestTokens()
        let clock = NIOLockedValueBox(Self.now)
        let verifier = try await tokens.verifier(now: { clock.withLockedValue { $0 } })
        let token = try await tokens.token("a", roles: ["staff"], expires: Self.now + 60)
        #expect(try await verifier.verify(token).subject == "a")
        #expect(try await verifier.verify(token).subject == "a")
        clock.withLockedValue { $0 = Self.now + 91 }
        await #expect(throws: AuthenticationError.expired) { try await verifier.verify(token) }
    }

    @Test func issuerAndAudienceAreCheckedWhenConfigured() async throws {
        let tokens = try await TestTokens()
        let verifier = try await tokens.verifier(issuer: "https://id.example", audience: "orders", now: { Self.now })
        let good = try await tokens.token("a", roles: ["staff"], expires: Self.now + 60, issuer: "https://id.example", audience: "orders")
        _ = try await verifier.verify(good)
        await #expect(throws: AuthenticationError.wrongIssuer) {
            try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60, issuer: "https://evil", audience: "orders"))
        }
        await #expect(throws: AuthenticationError.wrongIssuer) {
            try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60, audience: "orders"))
        }
        await #expect(throws: AuthenticationError.wrongAudience) {
            try await verifier.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60, issuer: "https://id.example", audience: "billing"))
        }
    }

    @Test func noneAnotherKeyAndAnotherKeysAlgorithmAreRefused() async throws {
        let tokens = try await TestTokens()
        let hs256 = try await tokens.verifier(now: { Self.now })
        let es256 = try await tokens.verifier(jwks: true, now: { Self.now })
        let claims = Self.base64URL(#"{"sub":"a","exp":\#(Int(Self.now.timeIntervalSince1970) + 60),"roles":["staff"]}"#)
        // alg none, with and without a signature part.
        for token in ["\(Self.base64URL(#"{"alg":"none","typ":"JWT"}"#)).\(claims).", "\(Self.base64URL(#"{"alg":"none"}"#)).\(claims).c2ln"] {
            await #expect(throws: AuthenticationError.algorithmRefused("none")) { try await hs256.verify(token) }
            await #expect(throws: AuthenticationError.algorithmRefused("none")) { try await es256.verify(token) }
        }
        // Signed with the other key, or for the other's algorithm.
        await #expect(throws: AuthenticationError.algorithmRefused("ES256")) {
            try await hs256.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60, es256: true))
        }
        await #expect(throws: AuthenticationError.algorithmRefused("HS256")) {
            try await es256.verify(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60))
        }
        // HS256 over the ES256 key's public JWK as the secret (the confusion attack).
        let header = Self.base64URL(#"{"alg":"HS256","kid":"es-1"}"#)
        let publicKey = try JSONEncoder().encode(tokens.jwks.keys[0])
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(header).\(claims)".utf8), using: SymmetricKey(data: publicKey))
        let forged = "\(header).\(claims).\(Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: ""))"
        await #expect(throws: AuthenticationError.algorithmRefused("HS256")) { try await es256.verify(forged) }
        // A signature changed in one character (not the last: its low bits are padding).
        let good = Array(try await tokens.token("a", roles: ["staff"], expires: Self.now + 60))
        var changed = good
        changed[good.count - 10] = good[good.count - 10] == "A" ? "B" : "A"
        let tampered = String(changed)
        await #expect(throws: AuthenticationError.badSignature) { try await hs256.verify(tampered) }
    }

    @Test(arguments: ["", "garbage", "a.b", "a.b.c", "....", String(repeating: "x", count: 5000), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIi"])
    func bytesThatAreNoJWTAreMalformedNeverACrash(token: String) async throws {
        let verifier = try await TestTokens().verifier(now: { Self.now })
        await #expect {
            try await verifier.verify(token)
        } throws: { error in
            guard let error = error as? AuthenticationError else { return false }
            if case .malformed = error { return true }
            if case .algorithmRefused = error { return true }
            return false
        }
    }

    @Test func aTokenWithoutExpOrSubIsMalformed() async throws {
        let tokens = try await TestTokens()
        let verifier = try await tokens.verifier(now: { Self.now })
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: TestTokens.secret), digestAlgorithm: .sha256)
        struct NoExpiry: JWTPayload {
            var sub: SubjectClaim
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let token = try await keys.sign(NoExpiry(sub: "a"))
        await #expect {
            try await verifier.verify(token)
        } throws: { error in
            guard case AuthenticationError.malformed(let reason)? = error as? AuthenticationError else { return false }
            return reason.contains("exp")
        }
    }

    @Test func settingsThatCannotWorkAreRefusedSayingWhy() throws {
        #expect(throws: AuthenticationSettings.SettingError.self) { try AuthenticationSettings.hs256(secret: Data("short\n".utf8), source: "f") }
        #expect(throws: AuthenticationSettings.SettingError.self) { try AuthenticationSettings.jwks(json: Data("{}".utf8), source: "f") }
        #expect(throws: AuthenticationSettings.SettingError.self) {
            try AuthenticationSettings.jwks(json: Data(#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#.utf8), source: "f")
        }
        #expect(throws: AuthenticationSettings.SettingError.self) {
            try AuthenticationSettings.jwks(json: Data(#"{"keys":[{"kty":"RSA","alg":"RS512","n":"AQAB","e":"AQAB"}]}"#.utf8), source: "f")
        }
    }
}
