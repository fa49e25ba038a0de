import ArgumentParser
import Foundation
import ServiceHTTP

/// Bearer-token authentication of a service's routes: off unless a key is given.
public struct AuthenticationOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("auth-jwks-file"), help: "JSON Web Key Set of the keys tokens are signed with: RS256, ES256, EdDSA (env AUTH_JWKS_FILE)")
    var jwksFile = env("AUTH_JWKS_FILE") ?? ""

    @Option(name: .customLong("auth-hs256-secret-file"), help: "File holding the HS256 secret tokens are signed with, 32 bytes or more (env AUTH_HS256_SECRET_FILE)")
    var hs256SecretFile = env("AUTH_HS256_SECRET_FILE") ?? ""

    @Option(name: .customLong("auth-issuer"), help: "Required iss of tokens, when set (env AUTH_ISSUER)")
    var issuer = env("AUTH_ISSUER") ?? ""

    @Option(name: .customLong("auth-audience"), help: "Required aud of tokens, when set (env AUTH_AUDIENCE)")
    var audience = env("AUTH_AUDIENCE") ?? ""

    public init() {}

    /// The settings (nil: authentication off), the key file read and checked now, so a
    /// configuration that cannot work stops the service at start.
    public func settings() throws -> AuthenticationSettings? {
        do {
            return try readSettings()
        } catch let error as AuthenticationSettings.SettingError {
            throw ValidationError("\(error)")
        }
    }

    private func readSettings() throws -> AuthenticationSettings? {
        let keys: AuthenticationSettings.Keys
        switch (jwksFile.isEmpty, hs256SecretFile.isEmpty) {
        case (true, true):
            guard issuer.isEmpty, audience.isEmpty else {
                throw ValidationError("AUTH_ISSUER / AUTH_AUDIENCE need a key: set AUTH_JWKS_FILE or AUTH_HS256_SECRET_FILE")
            }
            return nil
        case (false, false):
            throw ValidationError("set one of AUTH_JWKS_FILE and AUTH_HS256_SECRET_FILE, not both")
        case (false, true):
            keys = try AuthenticationSettings.jwks(json: try read(jwksFile, "--auth-jwks-file / AUTH_JWKS_FILE"), source: jwksFile)
        case (true, false):
            keys = try AuthenticationSettings.hs256(
                secret: try read(hs256SecretFile, "--auth-hs256-secret-file / AUTH_HS256_SECRET_FILE"), source: hs256SecretFile)
        }
        return AuthenticationSettings(keys: keys, issuer: issuer.isEmpty ? nil : issuer, audience: audience.isEmpty ? nil : audience)
    }

    private func read(_ path: String, _ what: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(what): cannot read \(path)") }
        return data
    }
}
