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

    public static func check(_ request: Request, token adminToken: String?) throws(Refusal) {
        guard let adminToken, !adminToken.isEmpty else { throw .disabled }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw .missing }
        let given = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        let expected = SHA256.hash(data: Data(adminToken.utf8))
        // Compare digests, not the tokens: equal-length inputs, no early exit on the secret.
        guard given == expected else { throw .wrong }
    }
}
