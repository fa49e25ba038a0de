import ArgumentParser
import Foundation
import KafkaSecurity
import KafkaWire

/// `kafkawire broker-users add`: writes a user's salted SCRAM credentials to the dev broker's
/// users file. No password is ever stored; the file is readable by its owner only.
struct BrokerUsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker-users",
        abstract: "Manage the dev broker's SASL users (salted SCRAM credentials).",
        subcommands: [Add.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or replace a user, with SCRAM-SHA-256 and SCRAM-SHA-512 credentials (PLAIN logins are checked against them).")

        @Option(help: "The users file (created when missing).")
        var file: String

        @Option(help: "User name.")
        var user: String

        @Option(help: "Read the password from this file (a trailing newline is dropped).")
        var passwordFile: String?

        @Option(help: "The password (visible in the process list: prefer --password-file).")
        var password: String?

        @Option(help: "SCRAM iterations (4096 to 16384).")
        var iterations: Int = 4096

        func run() throws {
            let secret: String
            switch (password, passwordFile) {
            case let (password?, nil): secret = password
            case let (nil, path?):
                secret = try SecurityOptions.usage { () throws(KafkaError) in
                    try KafkaSecurityConfiguration.readSecretFile(path, what: "--password-file")
                }
            default: throw ValidationError("give exactly one of --password-file and --password")
            }
            guard ScramAlgorithm.iterationRange.contains(iterations) else {
                throw ValidationError("--iterations must be in \(ScramAlgorithm.iterationRange)")
            }
            var users = FileManager.default.fileExists(atPath: file) ? try SaslUsers.load(path: file) : SaslUsers()
            do {
                try users.set(user: user, password: secret, iterations: iterations)
            } catch {
                throw ValidationError(error.message)
            }
            try users.save(path: file)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")

        @Option(help: "The users file.")
        var file: String

        @Option(help: "User name.")
        var user: String

        func run() throws {
            var users = try SaslUsers.load(path: file)
            guard users.users.removeValue(forKey: user) != nil else { throw ValidationError("no user \(user) in \(file)") }
            try users.save(path: file)
        }
    }
}
