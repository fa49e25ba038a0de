import Crypto
import _CryptoExtras

/// The hash behind a SCRAM mechanism (RFC 5802 with SHA-256 per RFC 7677, SHA-512 as Kafka
/// adds it), and the three primitives SCRAM builds on: H, HMAC and Hi (PBKDF2).
public enum ScramAlgorithm: Sendable, Hashable {
    case sha256, sha512

    public var mechanism: SaslMechanism { self == .sha256 ? .scramSHA256 : .scramSHA512 }

    /// Kafka refuses fewer iterations than this (ScramMechanism.minIterations) and more than 16384.
    public static let iterationRange = 4096...16384

    func hash(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha512: return Array(SHA512.hash(data: data))
        }
    }

    func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }

    /// Hi(password, salt, i): PBKDF2 with this HMAC, one block of the hash's size.
    func saltedPassword(_ password: [UInt8], salt: [UInt8], iterations: Int) throws(SaslError) -> [UInt8] {
        let function: KDF.Insecure.PBKDF2.HashFunction = self == .sha256 ? .sha256 : .sha512
        let size = self == .sha256 ? SHA256.byteCount : SHA512.byteCount
        do {
            // The iteration count is SCRAM's (Kafka takes 4096 and up), not a password-storage
            // policy, so the unchecked variant is the right one.
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: function, outputByteCount: size, unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw SaslError(.unacceptableParameters, "PBKDF2 refused \(iterations) iterations: \(error)")
        }
    }
}
