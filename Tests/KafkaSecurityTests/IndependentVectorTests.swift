import Foundation
import Testing
@testable import KafkaSecurity

/// A SCRAM-SHA-512 exchange computed by an independent implementation (Python's hashlib and
/// hmac: `python3 Tests/interop/scram_vectors.py`), replayed byte for byte on both sides.
@Suite("SCRAM-SHA-512 against an independent implementation")
struct IndependentVectorTests {
    struct Vector: Decodable {
        var username: String
        var password: String
        var clientNonce: String
        var serverNonce: String
        var salt: String
        var iterations: Int
        var clientFirst: String
        var serverFirst: String
        var clientFinal: String
        var serverFinal: String
    }

    private func vector() throws -> Vector {
        let url = try #require(Bundle.module.url(forResource: "scram-sha-512", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Vector.self, from: Data(contentsOf: url))
    }

    @Test func client() throws {
        let v = try vector()
        var client = ScramClient(algorithm: .sha512, username: v.username, password: v.password, nonce: v.clientNonce)
        #expect(String(decoding: client.firstMessage(), as: UTF8.self) == v.clientFirst)
        let final = try client.finalMessage(answering: Array(v.serverFirst.utf8))
        #expect(String(decoding: final, as: UTF8.self) == v.clientFinal)
        try client.verify(serverFinal: Array(v.serverFinal.utf8))
    }

    @Test func server() throws {
        let v = try vector()
        let credential = try ScramCredential(
            password: v.password, algorithm: .sha512, iterations: v.iterations, salt: try #require(Base64.decode(v.salt)))
        var server = ScramServer(algorithm: .sha512, nonce: v.serverNonce)
        let first = try server.serverFirst(answering: Array(v.clientFirst.utf8)) { $0 == v.username ? credential : nil }
        #expect(String(decoding: first, as: UTF8.self) == v.serverFirst)
        let (final, user) = try server.serverFinal(answering: Array(v.clientFinal.utf8))
        #expect(String(decoding: final, as: UTF8.self) == v.serverFinal)
        #expect(user == v.username)
    }
}
