import ArgumentParser
import Foundation
import ServiceHTTP
import ServiceOptions

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mint a bearer token for the embedded stack run with orders up --auth",
        discussion: """
            Signed with the key orders up --auth keeps in --data-dir, so only that stack takes it. \
            Examples: export ORDERS_TOKEN=$(orders token --customer alice); orders token --staff sam
            """)
    @Option(help: "A customer's token: places, commands and reads this customer's orders only") var customer: String?
    @Option(help: "A staff token for this name: every order and read, not the admin routes") var staff: String?
    @Option(help: "An admin token for this name: staff's rights and the admin routes") var admin: String?
    @Option(help: "How long the token is valid, in minutes") var minutes: Int = 12 * 60
    @Option(help: "Directory of the embedded stack's data, where its key is (env ORDERS_DATA_DIR)")
    var dataDir = env("ORDERS_DATA_DIR") ?? "./.orders"

    func validate() throws {
        let given = [customer, staff, admin].compactMap { $0 }
        guard given.count == 1 else { throw ValidationError("give one of --customer, --staff, --admin") }
        try checkIdentifier(given[0], "the name")
        guard (1...(7 * 24 * 60)).contains(minutes) else { throw ValidationError("--minutes must be from 1 to 10080") }
    }

    func run() async throws {
        let key = try LocalSigningKey.existing(in: dataDir)
        let (subject, roles): (String, [Principal.Role]) =
            if let customer { (customer, [.customer]) } else if let staff { (staff, [.staff]) } else { (admin ?? "", [.staff, .admin]) }
        Terminal.line(try await key.token(subject: subject, roles: roles, lifetime: .seconds(minutes * 60)))
    }
}
