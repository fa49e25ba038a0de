import Foundation
import JWTKit
import ServiceHTTP

/// The embedded stack's own token key (`orders up --auth`): an ES256 key pair kept in the
/// data directory, made on first use. The services verify with its public half (a JWKS);
/// `orders token` signs with the private half. For trying authentication locally only: a
/// deployment's tokens come from its identity provider.
struct LocalSigningKey: Sendable {
    static let keyId = "orders-local"
    let privateKey: ES256PrivateKey
    let file: String

    /// The key in `dataDirectory` (`auth/signing-key.pem`), made there (mode 0600) when missing.
    static func ensure(in dataDirectory: String) throws -> LocalSigningKey {
        let directory = (dataDirectory as NSString).appendingPathComponent("auth")
        let file = (directory as NSString).appendingPathComponent("signing-key.pem")
        if FileManager.default.fileExists(atPath: file) { return try load(file) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = ES256PrivateKey()
        guard FileManager.default.createFile(atPath: file, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError.failed("cannot write the signing key to \(file)")
        }
        return LocalSigningKey(privateKey: key, file: file)
    }

    /// The key `orders up --auth` made in `dataDirectory`.
    static func existing(in dataDirectory: String) throws -> LocalSigningKey {
        let file = ((dataDirectory as NSString).appendingPathComponent("auth") as NSString).appendingPathComponent("signing-key.pem")
        guard FileManager.default.fileExists(atPath: file) else {
            throw CLIError.usage("no signing key in \(file): run orders up --auth (with the same --data-dir) first")
        }
        return try load(file)
    }

    private static func load(_ file: String) throws -> LocalSigningKey {
        do {
            let pem = try String(contentsOfFile: file, encoding: .utf8)
            return LocalSigningKey(privateKey: try ES256PrivateKey(pem: pem), file: file)
        } catch {
            throw CLIError.failed("cannot read the signing key \(file): \(error)")
        }
    }

    /// What the services verify with.
    var settings: AuthenticationSettings {
        get throws {
            guard let parameters = privateKey.publicKey.parameters else { throw CLIError.failed("the signing key has no public parameters") }
            let json = #"{"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","use":"sig","kid":"\#(Self.keyId)","x":"\#(parameters.x)","y":"\#(parameters.y)"}]}"#
            return AuthenticationSettings(keys: try AuthenticationSettings.jwks(json: Data(json.utf8), source: file))
        }
    }

    struct Claims: JWTPayload {
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var iat: IssuedAtClaim
        var roles: [String]

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token for `subject` with `roles`, valid for `lifetime`.
    func token(subject: String, roles: [Principal.Role], lifetime: Duration) async throws -> String {
        // Whole seconds: NumericDate as most verifiers print and compare it.
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let claims = Claims(
            sub: .init(value: subject), exp: .init(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds))),
            iat: .init(value: now), roles: roles.map(\.rawValue))
        let keys = await JWTKeyCollection().add(ecdsa: privateKey, kid: JWKIdentifier(string: Self.keyId))
        return try await keys.sign(claims, kid: JWKIdentifier(string: Self.keyId))
    }
}
