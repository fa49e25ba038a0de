import Foundation
import JWTKit

/// Checks a bearer JWT and says whose it is. jwt-kit checks the signature; this adds what a
/// service must not leave to the token: only the configured keys' algorithms (so `none` and
/// an HS256 token made with an RSA public key are refused), `exp` required and `nbf` honoured
/// with a small leeway against `now`, the issuer and audience when configured.
public struct TokenVerifier: Sendable {
    /// The claims read: `sub`, `exp`, optional `nbf`, `iss`, `aud`, and `roles` (strings).
    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var nbf: NotBeforeClaim?
        var iss: IssuerClaim?
        var aud: AudienceClaim?
        var roles: [String]?

        /// Time, issuer and audience are checked by `TokenVerifier.verify`, against its clock.
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    private let keys: JWTKeyCollection
    private let algorithms: Set<String>
    private let settings: AuthenticationSettings
    private let now: @Sendable () -> Date
    /// Tokens already verified: the same bytes verify the same way, so only the times are
    /// checked again on a repeat (a client sends its token with every request).
    private let verified = VerifiedTokens(capacity: 4096)

    public init(_ settings: AuthenticationSettings, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        let keys = JWTKeyCollection()
        switch settings.keys {
        case .jwks(let set):
            try await keys.add(jwks: set)
            algorithms = Set(set.keys.compactMap { AuthenticationSettings.jwksAlgorithm($0.keyType) })
        case .hs256(let secret):
            await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
            algorithms = ["HS256"]
        }
        self.keys = keys
        self.settings = settings
        self.now = now
    }

    public func verify(_ token: String) async throws(AuthenticationError) -> Principal {
        if let known = verified.entry(token) {
            try checkTimes(expires: known.expires, notBefore: known.notBefore)
            return known.principal
        }
        let bytes = Array(token.utf8)
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(bytes, as: Claims.self).header
        } catch {
            throw .malformed(Self.reason(error))
        }
        guard let alg = header.alg, algorithms.contains(alg) else { throw .algorithmRefused(header.alg ?? "(none given)") }
        // The key the token names (or the only one) must be one for this algorithm.
        let kid = header.kid.flatMap { JWKIdentifier(string: $0) }
        guard let key = try? await keys.getKey(for: kid, alg: alg), key.name == alg else { throw .algorithmRefused(alg) }
        let claims: Claims
        do {
            claims = try await keys.verify(bytes, as: Claims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            throw .malformed(Self.reason(error))
        }
        try checkTimes(expires: claims.exp.value, notBefore: claims.nbf?.value)
        if let issuer = settings.issuer, claims.iss?.value != issuer { throw .wrongIssuer }
        if let audience = settings.audience, !(claims.aud?.value.contains(audience) ?? false) { throw .wrongAudience }
        guard !claims.sub.value.isEmpty else { throw .malformed("sub is empty") }
        let principal = Principal(subject: claims.sub.value, roles: Set((claims.roles ?? []).compactMap(Principal.Role.init(rawValue:))))
        verified.insert(token, VerifiedTokens.Entry(principal: principal, expires: claims.exp.value, notBefore: claims.nbf?.value))
        return principal
    }

    /// `exp` and `nbf` against the clock, with the leeway.
    private func checkTimes(expires: Date, notBefore: Date?) throws(AuthenticationError) {
        let now = self.now()
        let leeway = TimeInterval(settings.leeway.components.seconds)
        guard expires.timeIntervalSince(now) > -leeway else { throw .expired }
        if let notBefore, notBefore.timeIntervalSince(now) > leeway { throw .notYetValid }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? JWTError, let reason = error.reason { return reason }
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, _): return "claim \(key.stringValue) is missing"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                return "claim \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type"
            @unknown default: return "\(error)"
            }
        }
        return "\(error)"
    }
}
