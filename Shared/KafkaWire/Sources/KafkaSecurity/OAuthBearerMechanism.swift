import Foundation

/// SASL OAUTHBEARER's client message (RFC 7628 section 3.1, as Kafka's KIP-255 frames it):
/// `n,,` then `auth=Bearer <token>` and optional `key=value` extensions, each ended by 0x01.
public enum OAuthBearerMechanism {
    public static func clientMessage(token: String, extensions: [String: String] = [:]) throws(SaslError) -> [UInt8] {
        let trimmed = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: { $0 == "\u{1}" || $0.isWhitespace }) else {
            throw SaslError(.malformedMessage, "the OAUTHBEARER token is empty or contains whitespace")
        }
        var text = "n,,\u{1}auth=Bearer \(trimmed)\u{1}"
        for (key, value) in extensions.sorted(by: { $0.key < $1.key }) {
            guard key != "auth", key.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw SaslError(.malformedMessage, "OAUTHBEARER extension names are ASCII letters and not 'auth'")
            }
            text += "\(key)=\(value)\u{1}"
        }
        return Array((text + "\u{1}").utf8)
    }

    /// The token of a client message (the server side); nil when it is not one.
    public static func token(in message: [UInt8]) -> String? {
        guard let text = String(validating: message, as: UTF8.self), text.hasPrefix("n,") else { return nil }
        for field in text.split(separator: "\u{1}") where field.hasPrefix("auth=Bearer ") {
            return String(field.dropFirst("auth=Bearer ".count))
        }
        return nil
    }
}
