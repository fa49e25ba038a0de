/// The SASL mechanisms Kafka offers that this library speaks, by their registered names.
public enum SaslMechanism: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case plain = "PLAIN"
    case scramSHA256 = "SCRAM-SHA-256"
    case scramSHA512 = "SCRAM-SHA-512"
    case oauthBearer = "OAUTHBEARER"

    /// Parses a mechanism name as Kafka's `sasl.mechanism` property spells it (case-insensitive).
    public init?(name: String) {
        guard let mechanism = Self(rawValue: name.uppercased()) else { return nil }
        self = mechanism
    }

    /// The SCRAM hash, for the two SCRAM mechanisms.
    public var scramAlgorithm: ScramAlgorithm? {
        switch self {
        case .scramSHA256: return .sha256
        case .scramSHA512: return .sha512
        case .plain, .oauthBearer: return nil
        }
    }

    public var description: String { rawValue }
}
