/// What a SCRAM server stores for one user and hash: never the password (RFC 5802 section 3).
/// Kafka stores the same four values for each user (`kafka-configs --add-config SCRAM-SHA-256=...`).
/// Encoded with the byte strings in base64, as Kafka writes them.
public struct ScramCredential: Sendable, Hashable, Codable {
    public var salt: [UInt8]
    public var iterations: Int
    public var storedKey: [UInt8]
    public var serverKey: [UInt8]

    public init(salt: [UInt8], iterations: Int, storedKey: [UInt8], serverKey: [UInt8]) {
        self.salt = salt
        self.iterations = iterations
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Derives the stored values from a password, with a fresh random salt unless one is given.
    public init(password: String, algorithm: ScramAlgorithm, iterations: Int = 4096, salt: [UInt8]? = nil) throws(SaslError) {
        let salt = salt ?? ScramNonce.randomBytes(count: 32)
        let keys = try ScramKeys(password: Array(password.utf8), salt: salt, iterations: iterations, algorithm: algorithm)
        self.init(salt: salt, iterations: iterations, storedKey: keys.storedKey, serverKey: keys.serverKey)
    }

    private enum CodingKeys: String, CodingKey {
        case salt, iterations, storedKey = "stored_key", serverKey = "server_key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func bytes(_ key: CodingKeys) throws -> [UInt8] {
            guard let value = Base64.decode(try container.decode(String.self, forKey: key)), !value.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not base64")
            }
            return value
        }
        salt = try bytes(.salt)
        iterations = try container.decode(Int.self, forKey: .iterations)
        storedKey = try bytes(.storedKey)
        serverKey = try bytes(.serverKey)
        guard ScramAlgorithm.iterationRange.contains(iterations) else {
            throw DecodingError.dataCorruptedError(
                forKey: .iterations, in: container, debugDescription: "iterations must be in \(ScramAlgorithm.iterationRange)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Base64.encode(salt), forKey: .salt)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(Base64.encode(storedKey), forKey: .storedKey)
        try container.encode(Base64.encode(serverKey), forKey: .serverKey)
    }

    /// True when `password` is the one this credential was made from (how a PLAIN login is
    /// checked against SCRAM credentials, so no plain password is ever stored).
    public func matches(password: String, algorithm: ScramAlgorithm) -> Bool {
        guard let keys = try? ScramKeys(password: Array(password.utf8), salt: salt, iterations: iterations, algorithm: algorithm)
        else { return false }
        return ScramKeys.constantTimeEqual(keys.storedKey, storedKey)
    }
}

/// The keys RFC 5802 derives from a salted password.
struct ScramKeys {
    let clientKey: [UInt8]
    let storedKey: [UInt8]
    let serverKey: [UInt8]

    init(password: [UInt8], salt: [UInt8], iterations: Int, algorithm: ScramAlgorithm) throws(SaslError) {
        let salted = try algorithm.saltedPassword(password, salt: salt, iterations: iterations)
        clientKey = algorithm.hmac(key: salted, Array("Client Key".utf8))
        storedKey = algorithm.hash(clientKey)
        serverKey = algorithm.hmac(key: salted, Array("Server Key".utf8))
    }

    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { $0 ^ $1 }
    }

    /// Compares secrets without an early exit, so timing does not tell how much matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

/// Nonces and salts from the system's secure random source (getrandom on Linux).
public enum ScramNonce {
    public static func randomBytes(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// A printable nonce without commas: base64 of 24 random bytes.
    public static func make() -> String {
        Base64.encode(randomBytes(count: 24))
    }
}
