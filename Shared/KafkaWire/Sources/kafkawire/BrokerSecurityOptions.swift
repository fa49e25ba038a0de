import ArgumentParser
import KafkaBroker
import KafkaSecurity

/// Turns the broker's listener, TLS and SASL options into its configuration, refusing
/// combinations that cannot work (a TLS listener without a certificate, SASL without users).
enum BrokerSecurityOptions {
    static func apply(
        listen: [String], advertise: [String], sslCertificate: String?, sslKey: String?, sslClientCA: String?,
        saslUsers: String?, saslMechanisms: String, connectionsMaxReauthMs: Int64,
        to configuration: inout BrokerConfiguration
    ) throws {
        guard !listen.isEmpty else { throw ValidationError("--listen needs at least one listener") }
        guard advertise.count <= listen.count else { throw ValidationError("more --advertise than --listen") }
        configuration.listeners = try listen.enumerated().map { index, text in
            let (securityProtocol, address) = try parseListener(text)
            let (host, port) = try BrokerCommand.parseAddress(address, option: "--listen")
            var listener = BrokerListener(host: host, port: port, securityProtocol: securityProtocol)
            if index < advertise.count {
                let (host, port) = try BrokerCommand.parseAddress(advertise[index], option: "--advertise")
                listener.advertisedHost = host
                listener.advertisedPort = port
            }
            return listener
        }
        let usesTLS = configuration.listeners.contains { $0.securityProtocol.usesTLS }
        let usesSASL = configuration.listeners.contains { $0.securityProtocol.usesSASL }
        switch (sslCertificate, sslKey) {
        case let (certificate?, key?):
            configuration.tls = BrokerTLSConfiguration(certificateFile: certificate, keyFile: key, clientCAFile: sslClientCA)
        case (nil, nil):
            if usesTLS { throw ValidationError("an SSL or SASL_SSL listener needs --ssl-certificate and --ssl-key") }
            if sslClientCA != nil { throw ValidationError("--ssl-client-ca needs --ssl-certificate and --ssl-key") }
        default:
            throw ValidationError("--ssl-certificate and --ssl-key go together")
        }
        configuration.sasl.mechanisms = try saslMechanisms.split(separator: ",").map { name in
            guard let mechanism = SaslMechanism(name: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--sasl-mechanisms takes PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER; got \(name)")
            }
            return mechanism
        }
        if let saslUsers {
            do {
                configuration.sasl.users = try SaslUsers.load(path: saslUsers)
            } catch {
                throw ValidationError("--sasl-users \(saslUsers) cannot be read: \(error)")
            }
        } else if usesSASL && configuration.sasl.mechanisms.contains(where: { $0 != .oauthBearer }) {
            throw ValidationError("a SASL listener needs --sasl-users (write one with `kafkawire broker-users add`)")
        }
        guard connectionsMaxReauthMs >= 0 else { throw ValidationError("--connections-max-reauth-ms must not be negative") }
        configuration.sasl.connectionsMaxReauthMilliseconds = connectionsMaxReauthMs > 0 ? connectionsMaxReauthMs : nil
    }

    static func parseListener(_ text: String) throws -> (BrokerListener.SecurityProtocol, String) {
        guard let range = text.range(of: "://") else { return (.plaintext, text) }
        let name = text[..<range.lowerBound].uppercased()
        guard let securityProtocol = BrokerListener.SecurityProtocol(rawValue: name) else {
            throw ValidationError("--listen protocol must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got \(name)")
        }
        return (securityProtocol, String(text[range.upperBound...]))
    }
}
