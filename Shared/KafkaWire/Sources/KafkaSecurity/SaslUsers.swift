import Foundation

/// A file of SASL users: for each user, a SCRAM credential per hash, never a password.
/// The dev broker checks SCRAM logins against the matching credential and PLAIN logins against
/// either (`kafkawire broker-users add` writes both).
///
///     {"users": {"alice": {"SCRAM-SHA-256": {"salt": "...", "iterations": 4096,
///                                            "stored_key": "...", "server_key": "..."},
///                          "SCRAM-SHA-512": {...}}}}
public struct SaslUsers: Sendable, Hashable, Codable {
    public var users: [String: [String: ScramCredential]]

    public init(users: [String: [String: ScramCredential]] = [:]) {
        self.users = users
    }

    public func credential(user: String, algorithm: ScramAlgorithm) -> ScramCredential? {
        users[user]?[algorithm.mechanism.rawValue]
    }

    /// Checks a PLAIN login against whichever SCRAM credential the user has.
    public func verify(user: String, password: String) -> Bool {
        for algorithm in [ScramAlgorithm.sha512, .sha256] {
            if let credential = credential(user: user, algorithm: algorithm) {
                return credential.matches(password: password, algorithm: algorithm)
            }
        }
        return false
    }

    /// Adds or replaces a user with fresh credentials for both hashes.
    public mutating func set(user: String, password: String, iterations: Int = 4096) throws(SaslError) {
        guard !user.isEmpty, !password.isEmpty else { throw SaslError(.unacceptableParameters, "user name and password must not be empty") }
        users[user] = [
            SaslMechanism.scramSHA256.rawValue: try ScramCredential(password: password, algorithm: .sha256, iterations: iterations),
            SaslMechanism.scramSHA512.rawValue: try ScramCredential(password: password, algorithm: .sha512, iterations: iterations),
        ]
    }

    public static func load(path: String) throws -> SaslUsers {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(SaslUsers.self, from: data)
    }

    /// Writes the file readable by its owner only: salted credentials still allow offline guessing.
    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let url = URL(fileURLWithPath: path)
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
