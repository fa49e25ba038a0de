import Foundation

/// What Kafka's default OAUTHBEARER server side accepts (OAuthBearerUnsecuredValidatorCallbackHandler):
/// an unsigned JWT (`alg` none) whose `sub` names the user and whose `exp` is in the future.
/// For development only, as in Kafka: anyone can write such a token. The dev broker offers it
/// only when OAUTHBEARER is listed explicitly, so that clients' token handling can be tested.
public enum UnsecuredJWTValidator {
    public struct Claims: Sendable, Equatable {
        public var subject: String
        /// Milliseconds since the epoch.
        public var expiresAtMilliseconds: Int64
    }

    public static func validate(_ token: String, nowMilliseconds: Int64) throws(SaslError) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = json(parts[0]), let payload = json(parts[1]) else {
            throw SaslError(.malformedMessage, "the token is not a JWT (three base64url parts, JSON header and claims)")
        }
        guard (header["alg"] as? String)?.lowercased() == "none" else {
            throw SaslError(.invalidCredentials, "the dev broker accepts unsecured tokens (alg none) only")
        }
        // The subject becomes the principal and goes into log lines: no control characters
        // (a newline would forge a line), and a length a name can have.
        guard let subject = payload["sub"] as? String, !subject.isEmpty, subject.count <= 255,
            !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw SaslError(.invalidCredentials, "the token has no usable sub claim")
        }
        // Seconds since the epoch; anything not a finite number before year 10000 is refused
        // here (converting it to milliseconds would overflow).
        guard let exp = (payload["exp"] as? NSNumber)?.doubleValue, exp.isFinite, exp > 0, exp < 253_402_300_800 else {
            throw SaslError(.invalidCredentials, "the token has no valid exp claim")
        }
        let expires = Int64(exp * 1000)
        guard expires > nowMilliseconds else { throw SaslError(.invalidCredentials, "the token has expired") }
        return Claims(subject: subject, expiresAtMilliseconds: expires)
    }

    private static func json(_ part: Substring) -> [String: Any]? {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
