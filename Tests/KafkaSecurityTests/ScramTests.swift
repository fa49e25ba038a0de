import Testing
@testable import KafkaSecurity

@Suite("SCRAM")
struct ScramTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("RFC 7677's SCRAM-SHA-256 exchange, byte for byte")
    func rfc7677() throws {
        var client = ScramClient(algorithm: .sha256, username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(text(client.firstMessage()) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        let final = try client.finalMessage(answering: bytes(serverFirst))
        #expect(text(final) == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: bytes("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
    }

    @Test("RFC 7677's server side: the same exchange from the stored credential")
    func rfc7677Server() throws {
        let salt = Base64.decode("W22ZaJ0SNY7soEsUEjb6gQ==")!
        let credential = try ScramCredential(password: "pencil", algorithm: .sha256, iterations: 4096, salt: salt)
        var server = ScramServer(algorithm: .sha256, nonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0")
        let first = try server.serverFirst(answering: bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")) { $0 == "user" ? credential : nil }
        #expect(text(first) == "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
        let (final, user) = try server.serverFinal(answering: bytes(
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
        #expect(text(final) == "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        #expect(user == "user")
    }

    @Test("a server signature that is wrong is an error, not a success", arguments: [ScramAlgorithm.sha256, .sha512])
    func wrongServerSignature(algorithm: ScramAlgorithm) throws {
        var client = ScramClient(algorithm: algorithm, username: "alice", password: "secret")
        let credential = try ScramCredential(password: "secret", algorithm: algorithm)
        var server = ScramServer(algorithm: algorithm)
        let first = try server.serverFirst(answering: client.firstMessage()) { _ in credential }
        let (final, _) = try server.serverFinal(answering: try client.finalMessage(answering: first))
        // Change one base64 digit in the middle (the last ones may be padding bits).
        var tampered = Array(final)
        tampered[5] = tampered[5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SaslError.self) { try client.verify(serverFinal: tampered) }
        do {
            try client.verify(serverFinal: tampered)
        } catch {
            // A second verify is out of turn; the first one already failed.
            #expect(error.kind == .unexpectedMessage)
        }
    }

    @Test("a server holding a different password's credential cannot prove itself")
    func impostorServer() throws {
        var client = ScramClient(algorithm: .sha512, username: "alice", password: "secret")
        let impostor = try ScramCredential(password: "not-secret", algorithm: .sha512)
        var server = ScramServer(algorithm: .sha512)
        let first = try server.serverFirst(answering: client.firstMessage()) { _ in impostor }
        let clientFinal = try client.finalMessage(answering: first)
        // The impostor cannot check the proof, so it cannot go on to sign.
        #expect(throws: SaslError.self) { _ = try server.serverFinal(answering: clientFinal) }
    }

    @Test("wrong password and unknown user fail alike", arguments: [ScramAlgorithm.sha256, .sha512])
    func invalidCredentials(algorithm: ScramAlgorithm) throws {
        let credential = try ScramCredential(password: "right", algorithm: algorithm)
        for (user, password) in [("alice", "wrong"), ("mallory", "right")] {
            var client = ScramClient(algorithm: algorithm, username: user, password: password)
            var server = ScramServer(algorithm: algorithm)
            let first = try server.serverFirst(answering: client.firstMessage()) { $0 == "alice" ? credential : nil }
            let clientFinal = try client.finalMessage(answering: first)
            #expect { _ = try server.serverFinal(answering: clientFinal) } throws: { ($0 as? SaslError)?.kind == .invalidCredentials }
        }
    }

    @Test("user names with = and , are escaped and come back whole")
    func escaping() throws {
        var client = ScramClient(algorithm: .sha256, username: "a=b,c", password: "pw", nonce: "abc")
        #expect(text(client.firstMessage()) == "n,,n=a=3Db=2Cc,r=abc")
        #expect(try ScramMessage.unescape(username: "a=3Db=2Cc") == "a=b,c")
        #expect(throws: SaslError.self) { try ScramMessage.unescape(username: "a=4") }
    }

    @Test("the client refuses a nonce that does not extend its own, and too few iterations")
    func clientChecks() throws {
        var client = ScramClient(algorithm: .sha256, username: "u", password: "p", nonce: "abc")
        _ = client.firstMessage()
        #expect(throws: SaslError.self) { _ = try client.finalMessage(answering: Array("r=xyz123,s=c2FsdA==,i=4096".utf8)) }
        var again = ScramClient(algorithm: .sha256, username: "u", password: "p", nonce: "abc")
        _ = again.firstMessage()
        #expect(throws: SaslError.self) { _ = try again.finalMessage(answering: Array("r=abcdef,s=c2FsdA==,i=1".utf8)) }
    }

    @Test("malformed server input is a typed error, never a crash")
    func malformed() {
        for input in ["", ",", "r", "=x", "r=abc,s=!!!,i=4096", "r=abcd,s=c2FsdA==,i=x", "e=other-error"] {
            var client = ScramClient(algorithm: .sha512, username: "u", password: "p", nonce: "abc")
            _ = client.firstMessage()
            #expect(throws: SaslError.self) { _ = try client.finalMessage(answering: Array(input.utf8)) }
        }
        for input in ["", "n", "p=tls-unique,,n=u,r=x", "n,,", "n,,n=,r=x", "n,,r=x", [UInt8](arrayLiteral: 0xff, 0xfe).description] {
            var server = ScramServer(algorithm: .sha256)
            #expect(throws: SaslError.self) { _ = try server.serverFirst(answering: Array(input.utf8)) { _ in nil } }
        }
    }
}

@Suite("SCRAM server refusals")
struct ScramServerRefusalTests {
    @Test("an authorization id other than the user is refused; the user's own is accepted")
    func authorizationID() throws {
        let credential = try ScramCredential(password: "pw", algorithm: .sha256)
        var other = ScramServer(algorithm: .sha256)
        #expect(throws: SaslError.self) {
            _ = try other.serverFirst(answering: Array("n,a=bob,n=alice,r=abc".utf8)) { _ in credential }
        }
        var same = ScramServer(algorithm: .sha256)
        _ = try same.serverFirst(answering: Array("n,a=alice,n=alice,r=abc".utf8)) { _ in credential }
    }

    @Test("an unknown user is offered the same salt on every connection, as long as a real one")
    func unknownUserSalt() throws {
        func salt(_ user: String) throws -> String {
            var server = ScramServer(algorithm: .sha512)
            let first = String(decoding: try server.serverFirst(answering: Array("n,,n=\(user),r=abc".utf8)) { _ in nil }, as: UTF8.self)
            return String(try #require(first.split(separator: ",").first { $0.hasPrefix("s=") }))
        }
        #expect(try salt("ghost") == salt("ghost"))
        #expect(try salt("ghost") != salt("phantom"))
        #expect(try Base64.decode(salt("ghost").dropFirst(2))?.count == 32)
    }
}
