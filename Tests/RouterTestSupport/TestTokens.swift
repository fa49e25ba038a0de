import Foundation
import JWTKit
import ServiceHTTP

/// Tokens for the router tests: an HS256 key and an ES256 key (in a JWKS), signed here with
/// jwt-kit. The interop suite mints its own with PyJWT, against the services' executables.
public struct TestTokens: Sendable {
    /// The claims a test token carries.
    public struct Claims: JWTPayload {
        public var sub: SubjectClaim
        public var exp: ExpirationClaim
        public var nbf: NotBeforeClaim?
        public var iss: IssuerClaim?
        public var aud: AudienceClaim?
        public var roles: [String]?

        public func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    public static let secret = Array("a test secret of more than thirty-two bytes".utf8)

    let hs256: JWTKeyCollection
    let es256: JWTKeyCollection
    /// The ES256 key's public half as a JWKS (kid `es-1`).
    public let jwks: JWKS

    public init() async throws {
        hs256 = await JWTKeyCollection().add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        let key = ES256PrivateKey()
        es256 = await JWTKeyCollection().add(ecdsa: key, kid: "es-1")
        let parameters = try require(key.publicKey.parameters)
        jwks = try JSONDecoder().decode(JWKS.self, from: Data("""
            {"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","kid":"es-1","x":"\(parameters.x)","y":"\(parameters.y)"}]}
            """.utf8))
    }

    /// A verifier of the HS256 key (or, with `jwks`, of the ES256 one).
    public func verifier(
        jwks useJWKS: Bool = false, issuer: String? = nil, audience: String? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> TokenVerifier {
        try await TokenVerifier(
            AuthenticationSettings(keys: useJWKS ? .jwks(jwks) : .hs256(secret: Self.secret), issuer: issuer, audience: audience), now: now)
    }

    /// A signed token: HS256, or ES256 with `es256`.
    public func token(
        _ subject: String, roles: [String]?, expires: Date = Date(timeIntervalSinceNow: 3600), notBefore: Date? = nil,
        issuer: String? = nil, audience: String? = nil, es256 useES256: Bool = false
    ) async throws -> String {
        let claims = Claims(
            sub: .init(value: subject), exp: .init(value: expires), nbf: notBefore.map { .init(value: $0) },
            iss: issuer.map { .init(value: $0) }, aud: audience.map { .init(value: [$0]) }, roles: roles)
        return useES256 ? try await es256.sign(claims, kid: "es-1") : try await hs256.sign(claims)
    }

    /// `Authorization: Bearer <token>` for a request.
    public static func bearer(_ token: String) -> String { "Bearer \(token)" }
}

/// `#require` without the Testing module (this target also builds for release images).
private func `require`<T>(_ value: T?) throws -> T {
    guard let value else { throw TestTokenError.missing }
    return value
}

private enum TestTokenError: Error { case missing }
