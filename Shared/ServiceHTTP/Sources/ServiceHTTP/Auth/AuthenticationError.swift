/// Why a bearer token was refused: always 401, with `WWW-Authenticate: Bearer` (RFC 6750).
public enum AuthenticationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `Authorization: Bearer` header.
    case missing
    /// Not a JWT, or one whose header or claims cannot be read.
    case malformed(String)
    /// An algorithm this service does not accept (`none` among them), or not its key's.
    case algorithmRefused(String)
    /// The signature does not verify with any configured key.
    case badSignature
    case expired
    case notYetValid
    case wrongIssuer
    case wrongAudience

    public var description: String {
        switch self {
        case .missing: "send Authorization: Bearer <JWT>"
        case .malformed(let reason): "the bearer token is not a readable JWT: \(reason)"
        case .algorithmRefused(let alg): "the token's algorithm \(alg) is not accepted here"
        case .badSignature: "the token's signature does not verify"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet (nbf)"
        case .wrongIssuer: "the token's issuer is not the one configured (AUTH_ISSUER)"
        case .wrongAudience: "the token is not for this audience (AUTH_AUDIENCE)"
        }
    }

    /// RFC 6750's error code for `WWW-Authenticate`.
    var bearerError: String? {
        switch self {
        case .missing: nil
        default: "invalid_token"
        }
    }
}
