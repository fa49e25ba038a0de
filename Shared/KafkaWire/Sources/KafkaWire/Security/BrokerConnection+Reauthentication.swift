import Logging
import NIOCore

extension BrokerConnection {
    /// Keeps a SASL session alive (KIP-368): before the broker's session lifetime ends, holds
    /// new requests back, runs SaslHandshake and SaslAuthenticate again on the same connection
    /// (requests written before are answered first, in order), then releases them. A broker
    /// closing a connection at the end of its session is thus never the normal path.
    ///
    /// A failed re-authentication closes the connection: its requests fail as retriable, and
    /// the next connection authenticates afresh (and reports a final error if that fails).
    func reauthenticate(
        within lifetime: Duration, credentials: KafkaSecurityConfiguration.SaslCredentials, logger: Logger
    ) {
        let channel = self.channel
        let versions = self.versions
        let clientID = self.clientID
        let task = Task {
            var lifetime = lifetime
            while !Task.isCancelled {
                // As Kafka's Java client: at a random point between 85% and 95% of the session.
                do {
                    try await Task.sleep(for: lifetime * Double.random(in: 0.85...0.95))
                } catch {
                    return
                }
                guard channel.isActive else { return }
                do {
                    try await channel.triggerUserOutboundEvent(KafkaClientHandler.HoldRequests()).get()
                    defer { channel.triggerUserOutboundEvent(KafkaClientHandler.ReleaseRequests(), promise: nil) }
                    let session = try await SaslAuthentication.authenticate(
                        on: channel, versions: versions, clientID: clientID, credentials: credentials)
                    logger.debug("Re-authenticated", metadata: ["kafka.sasl_mechanism": "\(credentials.mechanism)"])
                    guard let next = session.lifetime else { return }
                    lifetime = next
                } catch {
                    guard channel.isActive else { return }
                    logger.warning("Re-authentication failed; closing the connection", metadata: ["error": "\(error)"])
                    channel.close(promise: nil)
                    return
                }
            }
        }
        channel.closeFuture.whenComplete { _ in task.cancel() }
    }
}
