/// Who a request acts for, from its verified bearer token: the subject, and what its roles
/// allow. Set by `BearerAuthentication` for the handler's task; nil when authentication is off.
public struct Principal: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        /// Its own orders only: places them for itself, commands and reads them.
        case customer
        /// Every order and every read; not the admin routes.
        case staff
        /// The admin routes (as `ADMIN_TOKEN` does).
        case admin
    }

    public var subject: String
    public var roles: Set<Role>

    public init(subject: String, roles: Set<Role>) {
        self.subject = subject
        self.roles = roles
    }

    /// The principal of the request being handled (nil: authentication is off).
    @TaskLocal public static var current: Principal?

    /// The subject events record as their actor: the token's, or `anonymous` without one.
    public static var actor: String { current?.subject ?? "anonymous" }

    /// What the current request may see of orders: everything (authentication off, or staff),
    /// or one customer's own.
    public static var scope: OrderScope {
        guard let current, !current.roles.contains(.staff) else { return .all }
        return .customer(current.subject)
    }
}

/// Which orders a request may act on or see.
public enum OrderScope: Sendable, Equatable {
    case all
    case customer(String)

    /// Whether an order of `customerId` is in scope (out of scope reads as not found, so ids
    /// cannot be probed).
    public func allows(customerId: String) -> Bool {
        switch self {
        case .all: true
        case .customer(let subject): subject == customerId
        }
    }
}
