import KafkaProtocol
import KafkaSecurity
import NIOCore

/// The SASL exchange on a new connection, after ApiVersions (KIP-152): SaslHandshake names the
/// mechanism, then SaslAuthenticate carries the mechanism's messages until it is done.
///
/// Every failure is `authenticationFailed`, final, with the broker's reason: the broker does not
/// offer the mechanism, refuses the credentials, or (SCRAM) cannot prove it holds them.
enum SaslAuthentication {
    /// What the broker granted: how long the session lasts, when it says (KIP-368).
    struct Session: Sendable {
        var lifetime: Duration?
    }

    static func authenticate(
        on channel: any Channel, versions: NegotiatedVersions, clientID: String,
        credentials: KafkaSecurityConfiguration.SaslCredentials
    ) async throws -> Session {
        let mechanism = credentials.mechanism
        // SaslHandshake v0 sends the mechanism's messages without Kafka framing; this library
        // speaks only the framed form (v1 and SaslAuthenticate), which every Kafka since 1.0 has.
        guard let handshakeRange = versions.range(for: .saslHandshake), handshakeRange.upperBound >= 1,
            let authenticateVersion = try? versions.version(for: .saslAuthenticate)
        else {
            throw KafkaError(.authenticationFailed, "the broker does not offer SaslHandshake v1 and SaslAuthenticate (Kafka 1.0 or later)")
        }
        let handshake = try await exchange(
            SaslHandshakeRequest(mechanism: mechanism.rawValue), version: handshakeRange.upperBound, on: channel, clientID: clientID)
        if let failure = KafkaError(brokerCode: handshake.errorCode, "SaslHandshake") {
            let offered = handshake.mechanisms.isEmpty ? "none" : handshake.mechanisms.joined(separator: ", ")
            throw KafkaError(.authenticationFailed, "the broker does not offer SASL mechanism \(mechanism) (it offers: \(offered)); \(failure.message)")
        }
        let step: @Sendable ([UInt8]) async throws -> SaslAuthenticateResponse = { bytes in
            let response = try await exchange(
                SaslAuthenticateRequest(authBytes: ByteBuffer(bytes: bytes)), version: authenticateVersion, on: channel, clientID: clientID)
            guard response.errorCode == 0 else {
                let reason = response.errorMessage.flatMap { $0.isEmpty ? nil : $0 } ?? KafkaErrorCode(rawValue: response.errorCode).message
                throw KafkaError(.authenticationFailed, "\(mechanism) authentication failed: \(reason)")
            }
            return response
        }
        let last: SaslAuthenticateResponse
        do {
            switch credentials {
            case .plain(let username, let password):
                last = try await step(PlainMechanism.clientMessage(username: username, password: password.value))
            case .scram(let algorithm, let username, let password):
                var client = ScramClient(algorithm: algorithm, username: username, password: password.value)
                let serverFirst = try await step(client.firstMessage())
                last = try await step(try client.finalMessage(answering: Array(buffer: serverFirst.authBytes)))
                try client.verify(serverFinal: Array(buffer: last.authBytes))
            case .oauthBearer(let tokenFile):
                let token = try OAuthBearerToken.read(from: tokenFile)
                let answer = try await step(try OAuthBearerMechanism.clientMessage(token: token.value))
                if answer.authBytes.readableBytes > 0 {
                    // RFC 7628 3.2.2: a refused token comes back as a JSON error challenge (Kafka
                    // answers so, without an error code); the client ends the exchange with 0x01.
                    let detail = String(buffer: answer.authBytes)
                    _ = try? await step([0x01])
                    throw KafkaError(.authenticationFailed, "OAUTHBEARER authentication failed: the broker refused the token: \(detail)")
                }
                last = answer
            }
        } catch let error as SaslError {
            throw KafkaError(.authenticationFailed, "\(mechanism) authentication failed: \(error.message)")
        }
        return Session(lifetime: last.sessionLifetimeMs > 0 ? .milliseconds(last.sessionLifetimeMs) : nil)
    }

    private static func exchange<R: KafkaRequestMessage>(
        _ request: R, version: Int16, on channel: any Channel, clientID: String
    ) async throws -> R.Response {
        let frame = try RequestFrame(request, version: version, clientID: clientID, allocator: channel.allocator)
        let body: ByteBuffer
        do {
            body = try await BrokerConnection.write(frame, on: channel, bypassesHold: true).get()
        } catch {
            throw BrokerConnection.kafkaError(error)
        }
        return try PendingResponse<R.Response>.decode(body, version: version)
    }
}
