import Foundation
import JWTKit

/// How the services check bearer tokens (`AUTH_JWKS_FILE` or `AUTH_HS256_SECRET_FILE`,
/// `AUTH_ISSUER`, `AUTH_AUDIENCE`). Made from the files' contents, so a configuration that
/// cannot work is refused at start.
public struct AuthenticationSettings: Sendable {
    public enum Keys: Sendable {
        /// A JSON Web Key Set: RS256 (RSA), ES256 (EC P-256) and EdDSA (Ed25519) public keys.
        case jwks(JWKS)
        /// One shared HS256 secret.
        case hs256(secret: [UInt8])
    }

    public enum SettingError: Error, CustomStringConvertible {
        case unreadable(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): reason
            }
        }
    }

    /// The algorithm a JWKS key may be used with, by its type: RS256, ES256 or EdDSA.
    static func jwksAlgorithm(_ type: JWK.KeyType) -> String? {
        switch type {
        case .rsa: "RS256"
        case .ecdsa: "ES256"
        case .octetKeyPair: "EdDSA"
        default: nil
        }
    }

    public var keys: Keys
    public var issuer: String?
    public var audience: String?
    /// Allowed clock difference for `exp` and `nbf`.
    public var leeway: Duration

    public init(keys: Keys, issuer: String? = nil, audience: String? = nil, leeway: Duration = .seconds(30)) {
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// For the start-up log line (no secret).
    public var summary: String {
        var parts: [String] = []
        switch keys {
        case .jwks(let set): parts.append("jwks (\(set.keys.count) key\(set.keys.count == 1 ? "" : "s"))")
        case .hs256: parts.append("hs256 secret")
        }
        if let issuer { parts.append("issuer=\(issuer)") }
        if let audience { parts.append("audience=\(audience)") }
        return parts.joined(separator: " ")
    }

    /// The JWKS in `json`, each key checked to be one the services accept.
    public static func jwks(json: Data, source: String) throws(SettingError) -> Keys {
        let set: JWKS
        do {
            set = try JSONDecoder().decode(JWKS.self, from: json)
        } catch {
            throw .unreadable("\(source) is not a JSON Web Key Set: \(error)")
        }
        guard !set.keys.isEmpty else { throw .unreadable("\(source) has no keys") }
        for (index, key) in set.keys.enumerated() {
            guard let expected = jwksAlgorithm(key.keyType) else {
                throw .unreadable("\(source): key \(index) is of a type not accepted here (RSA, EC, OKP are)")
            }
            if let algorithm = key.algorithm, algorithm.rawValue != expected {
                throw .unreadable("\(source): key \(index) is for \(algorithm.rawValue); accepted: RS256, ES256, EdDSA")
            }
            if set.keys.count > 1, key.keyIdentifier == nil {
                throw .unreadable("\(source): key \(index) has no kid; with several keys each needs one")
            }
        }
        return .jwks(set)
    }

    /// The HS256 secret in a file (its bytes, without a final newline).
    public static func hs256(secret: Data, source: String) throws(SettingError) -> Keys {
        var bytes = [UInt8](secret)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        // RFC 7518 3.2: a key of at least the hash's size.
        guard bytes.count >= 32 else { throw .unreadable("\(source): an HS256 secret needs at least 32 bytes, has \(bytes.count)") }
        return .hs256(secret: bytes)
    }
}
