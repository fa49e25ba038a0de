import Foundation
import Testing
@testable import KafkaSecurity

@Suite("PLAIN, OAUTHBEARER and the users file")
struct MechanismTests {
    @Test func plainRoundTrip() throws {
        let message = PlainMechanism.clientMessage(username: "alice", password: "s3cret")
        #expect(message == [0] + Array("alice".utf8) + [0] + Array("s3cret".utf8))
        let parsed = try PlainMechanism.parse(message)
        #expect(parsed.username == "alice" && parsed.password == "s3cret")
        #expect(throws: SaslError.self) { try PlainMechanism.parse(Array("alice".utf8)) }
        #expect(throws: SaslError.self) { try PlainMechanism.parse(Array("bob\u{0}alice\u{0}pw".utf8)) }
    }

    @Test func oauthBearerFraming() throws {
        let message = try OAuthBearerMechanism.clientMessage(token: "eyJ.abc.def\n")
        #expect(String(decoding: message, as: UTF8.self) == "n,,\u{1}auth=Bearer eyJ.abc.def\u{1}\u{1}")
        #expect(OAuthBearerMechanism.token(in: message) == "eyJ.abc.def")
        #expect(throws: SaslError.self) { _ = try OAuthBearerMechanism.clientMessage(token: "  ") }
    }

    @Test("the users file keeps salted credentials only and checks PLAIN logins against them")
    func usersFile() throws {
        var users = SaslUsers()
        try users.set(user: "alice", password: "wonderland")
        #expect(users.verify(user: "alice", password: "wonderland"))
        #expect(!users.verify(user: "alice", password: "Wonderland"))
        #expect(!users.verify(user: "bob", password: "wonderland"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try users.save(path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("wonderland"))
        #expect(try SaslUsers.load(path: path) == users)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
