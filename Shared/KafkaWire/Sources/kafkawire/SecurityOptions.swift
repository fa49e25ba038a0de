import ArgumentParser
import KafkaWire

/// `-X property=value` and `-F client.properties`, as kcat and Kafka's own tools take them,
/// with the Java/librdkafka property names (security.protocol, sasl.*, ssl.*, client.id).
struct SecurityOptions: ParsableArguments {
    @Option(name: .customShort("X"), help: ArgumentHelp(
        "Client property, KEY=VALUE (repeatable): security.protocol, sasl.mechanism, sasl.username, sasl.password, ssl.ca.location, ssl.certificate.location, ssl.key.location, ssl.key.password, ssl.endpoint.identification.algorithm, sasl.oauthbearer.token.file, client.id, socket.connection.setup.timeout.ms.",
        valueName: "property=value"))
    var properties: [String] = []

    @Option(name: .customShort("F"), help: ArgumentHelp("Read client properties from a Java-style properties file (before -X).", valueName: "file"))
    var propertiesFile: String?

    /// Applies the properties; an unknown name or a setting that cannot work is a usage error.
    func apply(to configuration: inout KafkaClientConfiguration) throws {
        var all = try propertiesFile.map { path in try Self.usage { () throws(KafkaError) in try KafkaSecurityConfiguration.parsePropertiesFile(path) } } ?? [:]
        for item in properties {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("-X expects property=value, got \"\(item)\"")
            }
            all[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        let known = KafkaSecurityConfiguration.propertyNames.union(["client.id", "bootstrap.servers", "socket.connection.setup.timeout.ms"])
        if let unknown = all.keys.sorted().first(where: { !known.contains($0) }) {
            throw ValidationError("unknown client property \(unknown); known: \(known.sorted().joined(separator: ", "))")
        }
        if let clientID = all["client.id"] { configuration.clientID = clientID }
        if let servers = all["bootstrap.servers"] { configuration.bootstrapServers = try ClientCommandSupport.brokers(servers) }
        if let text = all["socket.connection.setup.timeout.ms"] {
            // How long connecting to a broker (TCP, then TLS) may take, as Kafka's clients name it.
            guard let ms = Int64(text), (1...3_600_000).contains(ms) else {
                throw ValidationError("socket.connection.setup.timeout.ms must be 1 to 3600000, not \(text.debugDescription)")
            }
            configuration.connectTimeout = .milliseconds(ms)
        }
        let properties = all
        configuration.security = try Self.usage { () throws(KafkaError) in try KafkaSecurityConfiguration(properties: properties) }
    }

    /// A configuration error is a usage error: one line, exit code 64.
    static func usage<T>(_ body: () throws(KafkaError) -> T) throws -> T {
        let result: Result<T, KafkaError> = Result { () throws(KafkaError) in try body() }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw ValidationError(error.message)
        }
    }
}
