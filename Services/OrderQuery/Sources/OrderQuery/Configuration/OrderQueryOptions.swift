import SQLStore
import ArgumentParser
import Foundation
import KafkaWire
import Logging
import ServiceOptions

/// The command line of `order-query`: every setting a flag, with the environment variable of
/// the same name as its default (flag wins over environment, environment over default).
public struct OrderQueryOptions: ParsableArguments {
    @OptionGroup var common: ServiceCommonOptions

    @OptionGroup var authentication: AuthenticationOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8082"

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Consumer group of the query instances (env GROUP_ID)")
    var groupId = env("GROUP_ID") ?? "order-query"

    @Option(help: "Static group membership: an instance restarted with the same id takes its partitions back without a rebalance (env GROUP_INSTANCE_ID)")
    var groupInstanceId = env("GROUP_INSTANCE_ID") ?? ""

    @OptionGroup var admin: AdminTokenOptions

    @Option(help: "Records applied per database transaction, at most (env MAX_BATCH)")
    var maxBatch = env("MAX_BATCH") ?? "\(OrderQueryConfiguration.defaultMaxBatch)"

    @Option(help: "How long a generation replaced by a rebuild keeps its tables, in ms (env RETIRE_GRACE_MS)")
    var retireGraceMs = env("RETIRE_GRACE_MS") ?? "60000"

    public var logLevel: String { common.logLevel }

    public init() {}

    public func validate() throws {
        _ = try configuration()
    }

    public func configuration() throws -> OrderQueryConfiguration {
        var configuration = OrderQueryConfiguration()
        try common.apply(to: &configuration)
        configuration.authentication = try authentication.settings()
        let listen = try httpListenOption(httpListen)
        configuration.httpHost = listen.host
        configuration.httpPort = listen.port
        configuration.database = try database.database(defaultFile: "order-query.sqlite")
        configuration.topic = try common.topic()
        guard !groupId.isEmpty else { throw ValidationError("--group-id / GROUP_ID must not be empty") }
        configuration.groupID = groupId
        configuration.groupInstanceID = groupInstanceId.isEmpty ? nil : groupInstanceId
        configuration.adminToken = admin.adminToken
        configuration.maxBatch = try number(maxBatch, "--max-batch / MAX_BATCH", 1...100_000)
        configuration.retireGrace = .milliseconds(try number(retireGraceMs, "--retire-grace-ms / RETIRE_GRACE_MS", Int64(0)...86_400_000))
        return configuration
    }
}
