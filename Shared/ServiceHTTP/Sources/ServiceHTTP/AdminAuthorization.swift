import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The `/admin/` routes' bearer token (`ADMIN_TOKEN`): refused while unset, then required.
public enum AdminAuthorization {
    public enum Refusal: Error, Sendable {
        /// ADMIN_TOKEN is not set: 403.
        case disabled
        /// No bearer token: 401.
        case missing
        /// Not the admin token: 401.
        case wrong

        public var detail: String {
            switch self {
            case .disabled: "set ADMIN_TOKEN to enable the admin routes"
            case .missing: "send Authorization: Bearer <ADMIN_TOKEN>"
            case .wrong: "the bearer token is not the admin token"
            }
        }
    }

    /// Passes with `ADMIN_TOKEN` as the bearer token, or for a request whose verified JWT has
    /// the role `admin` (`TokenAuthentication` ran first).
    public static func check(_ request: Request, token adminToken: String?) throws(Refusal) {
        if Principal.current?.roles.contains(.admin) == true { return }
        guard let adminToken, !adminToken.isEmpty else { throw .disabled }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw .missing }
        guard isAdminToken(String(header.dropFirst("Bearer ".count)), adminToken) else { throw .wrong }
    }

    /// Whether `given` is the admin token (unset: never).
    public static func isAdminToken(_ given: String, _ adminToken: String?) -> Bool {
        guard let adminToken, !adminToken.isEmpty else { return false }
        // Compare digests, not the tokens: equal-length inputs, no early exit on the secret.
        return SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(adminToken.utf8))
    }
}
