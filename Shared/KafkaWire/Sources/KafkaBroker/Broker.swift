import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The dev broker's request processing, independent of sockets: a request frame in, a
/// response frame (or none, for acks=0 produce) out. `BrokerServer` feeds it from TCP;
/// tests can feed it directly.
public final class Broker: Sendable {
    /// A request that cannot be answered; the connection that sent it is closed, as Kafka does.
    public struct RequestError: Error, Sendable, CustomStringConvertible {
        public var apiKey: APIKey
        public var apiVersion: Int16
        public var reason: String
        public var description: String { "\(apiKey) v\(apiVersion): \(reason)" }
    }

    /// Who sent a request, for group membership and logs, and on which listener (its index in
    /// `BrokerConfiguration.listeners`), whose address Metadata and FindCoordinator advertise.
    public struct Client: Sendable {
        public var host: String
        public var listener: Int
        public init(host: String, listener: Int = 0) {
            self.host = host
            self.listener = listener
        }
    }

    let configuration: BrokerConfiguration
    let logger: Logger
    let logs: LogManager
    let groups: GroupCoordinator
    let producerIDs: ProducerIDAllocator
    let supportedVersions: [APIKey: ClosedRange<Int16>]
    /// Where clients reach us, per listener; set once each is bound (port 0 resolves then).
    let endpoints: Endpoints

    public init(configuration: BrokerConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        self.logs = try LogManager(dataDirectory: configuration.dataDirectory, configuration: configuration.log, logger: logger)
        self.producerIDs = try ProducerIDAllocator(dataDirectory: configuration.dataDirectory)
        let logs = self.logs
        self.groups = GroupCoordinator(
            configuration: GroupCoordinatorConfiguration(settings: configuration.groups),
            offsetStore: try OffsetStore(directory: configuration.dataDirectory + "/__consumer_offsets", logger: logger),
            partitionExists: { topic, partition in logs.partition(topic, partition) != nil },
            logger: logger)
        self.supportedVersions = Self.versions(configuration)
        self.endpoints = Endpoints(configuration.listeners.map { ($0.advertisedHost ?? $0.host, $0.advertisedPort ?? $0.port) })
    }

    /// Versions offered per API: what each handler implements, narrowed by the configured caps.
    static func versions(_ configuration: BrokerConfiguration) -> [APIKey: ClosedRange<Int16>] {
        // Produce below v3 and Fetch below v4 carry the legacy message format (magic 0/1),
        // which this broker does not store; Kafka 4.0 dropped them too (KIP-896).
        let implemented: [APIKey: ClosedRange<Int16>] = [
            .produce: 3...ProduceRequest.validVersions.upperBound,
            .fetch: 4...FetchRequest.validVersions.upperBound,
            .listOffsets: ListOffsetsRequest.validVersions,
            .metadata: MetadataRequest.validVersions,
            .offsetCommit: OffsetCommitRequest.validVersions,
            .offsetFetch: OffsetFetchRequest.validVersions,
            .findCoordinator: FindCoordinatorRequest.validVersions,
            .joinGroup: JoinGroupRequest.validVersions,
            .heartbeat: HeartbeatRequest.validVersions,
            .leaveGroup: LeaveGroupRequest.validVersions,
            .syncGroup: SyncGroupRequest.validVersions,
            .describeGroups: DescribeGroupsRequest.validVersions,
            .listGroups: ListGroupsRequest.validVersions,
            .saslHandshake: SaslHandshakeRequest.validVersions,
            .apiVersions: ApiVersionsRequest.validVersions,
            .createTopics: CreateTopicsRequest.validVersions,
            .deleteTopics: DeleteTopicsRequest.validVersions,
            .initProducerId: InitProducerIdRequest.validVersions,
            .describeConfigs: DescribeConfigsRequest.validVersions,
            .saslAuthenticate: SaslAuthenticateRequest.validVersions,
        ]
        var result: [APIKey: ClosedRange<Int16>] = [:]
        for (key, range) in implemented {
            let low = max(range.lowerBound, configuration.minVersions[key] ?? range.lowerBound)
            let high = min(range.upperBound, configuration.maxVersions[key] ?? range.upperBound)
            if low <= high { result[key] = low...high }
        }
        return result
    }

    /// Answers one request frame (without its 4-byte size). Returns the response frame with
    /// its size prefix, or nil when the request expects no response. Throws when the request
    /// is malformed, not supported, or not admitted by the connection's SASL state; the caller
    /// closes the connection (and also after writing the answer when `session` says so).
    func respond(to frame: ByteBuffer, from client: Client, session: inout SaslSession) async throws -> ByteBuffer? {
        var body = frame
        let header: RequestHeader
        do {
            header = try RequestHeader(from: &body)
        } catch {
            throw RequestError(apiKey: APIKey(rawValue: frame.getInteger(at: frame.readerIndex, as: Int16.self) ?? -1), apiVersion: -1, reason: "malformed request header: \(error)")
        }
        if case .refused(let reason) = session.admits(header.apiKey, nowMilliseconds: Clock.nowMilliseconds()) {
            throw RequestError(apiKey: header.apiKey, apiVersion: header.apiVersion, reason: reason)
        }
        if header.apiKey == .apiVersions {
            return try apiVersions(header: header, body: &body)
        }
        switch header.apiKey {
        case .produce: return try await serve(ProduceRequest.self, header, &body) { try await self.produce($0, version: $1) }
        case .fetch: return try await serve(FetchRequest.self, header, &body) { await self.fetch($0, version: $1) }
        case .listOffsets: return try await serve(ListOffsetsRequest.self, header, &body) { self.listOffsets($0, version: $1) }
        case .metadata: return try await serve(MetadataRequest.self, header, &body) { self.metadata($0, version: $1, listener: client.listener) }
        case .createTopics: return try await serve(CreateTopicsRequest.self, header, &body) { self.createTopics($0, version: $1) }
        case .deleteTopics: return try await serve(DeleteTopicsRequest.self, header, &body) { self.deleteTopics($0, version: $1) }
        case .initProducerId: return try await serve(InitProducerIdRequest.self, header, &body) { self.initProducerID($0, version: $1) }
        case .describeConfigs: return try await serve(DescribeConfigsRequest.self, header, &body) { self.describeConfigs($0, version: $1) }
        case .findCoordinator: return try await serve(FindCoordinatorRequest.self, header, &body) { self.findCoordinator($0, version: $1, listener: client.listener) }
        case .saslHandshake:
            return try await serve(SaslHandshakeRequest.self, header, &body) { request, _ in
                session.handshake(request, enabled: self.configuration.sasl.mechanisms)
            }
        case .saslAuthenticate:
            return try await serve(SaslAuthenticateRequest.self, header, &body) { request, _ in
                session.authenticate(request, users: self.configuration.sasl.users,
                                     sessionLifetimeMilliseconds: self.configuration.sasl.connectionsMaxReauthMilliseconds,
                                     nowMilliseconds: Clock.nowMilliseconds())
            }
        case .joinGroup:
            let clientID = header.clientID ?? ""
            return try await serve(JoinGroupRequest.self, header, &body) {
                await self.groups.joinGroup($0, version: $1, clientID: clientID, clientHost: client.host)
            }
        case .syncGroup: return try await serve(SyncGroupRequest.self, header, &body) { await self.groups.syncGroup($0, version: $1) }
        case .heartbeat: return try await serve(HeartbeatRequest.self, header, &body) { await self.groups.heartbeat($0, version: $1) }
        case .leaveGroup: return try await serve(LeaveGroupRequest.self, header, &body) { await self.groups.leaveGroup($0, version: $1) }
        case .offsetCommit: return try await serve(OffsetCommitRequest.self, header, &body) { await self.groups.offsetCommit($0, version: $1) }
        case .offsetFetch: return try await serve(OffsetFetchRequest.self, header, &body) { await self.groups.offsetFetch($0, version: $1) }
        case .describeGroups: return try await serve(DescribeGroupsRequest.self, header, &body) { await self.groups.describeGroups($0, version: $1) }
        case .listGroups: return try await serve(ListGroupsRequest.self, header, &body) { await self.groups.listGroups($0, version: $1) }
        default:
            throw RequestError(apiKey: header.apiKey, apiVersion: header.apiVersion, reason: "unsupported API")
        }
    }

    private func serve<Request: KafkaRequestMessage>(
        _ type: Request.Type, _ header: RequestHeader, _ body: inout ByteBuffer,
        _ handle: (Request, Int16) async throws -> Request.Response?
    ) async throws -> ByteBuffer? {
        guard let versions = supportedVersions[header.apiKey], versions.contains(header.apiVersion) else {
            throw RequestError(apiKey: header.apiKey, apiVersion: header.apiVersion, reason: "unsupported version")
        }
        let request: Request
        do {
            request = try Request(from: &body, version: header.apiVersion)
        } catch {
            throw RequestError(apiKey: header.apiKey, apiVersion: header.apiVersion, reason: "malformed request: \(error)")
        }
        guard let response = try await handle(request, header.apiVersion) else { return nil }
        return try Self.frame(response, correlationID: header.correlationID, apiKey: header.apiKey, version: header.apiVersion)
    }

    static func frame<Response: KafkaResponseMessage>(
        _ response: Response, correlationID: Int32, apiKey: APIKey, version: Int16
    ) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        buffer.writeInteger(Int32(0))
        ResponseHeader(correlationID: correlationID).encode(to: &buffer, apiKey: apiKey, apiVersion: version)
        try response.encode(to: &buffer, version: version)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return buffer
    }

    /// Periodic work: flushing dirty logs and applying retention. Runs until cancelled.
    func runMaintenance() async {
        let flushEvery = configuration.log.flushIntervalMilliseconds
        let retentionEvery = configuration.log.retentionCheckIntervalMilliseconds
        let tick = max(10, min(flushEvery ?? retentionEvery, retentionEvery))
        var sinceRetention: Int64 = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(tick))
            if flushEvery != nil { logs.flushAll() }
            sinceRetention += tick
            if sinceRetention >= retentionEvery {
                sinceRetention = 0
                logs.applyRetention(nowMilliseconds: Clock.nowMilliseconds())
            }
        }
    }

    /// Flushes and closes every log and stops the group coordinator.
    func shutdown() async {
        await groups.shutdown()
        logs.closeAll()
    }
}

/// The host and port advertised to clients, per listener.
final class Endpoints: Sendable {
    private let values: NIOLockedValueBox<[(host: String, port: Int)]>
    init(_ values: [(host: String, port: Int)]) { self.values = NIOLockedValueBox(values) }
    func host(_ listener: Int) -> String { values.withLockedValue { $0[listener].host } }
    func port(_ listener: Int) -> Int32 { Int32(values.withLockedValue { $0[listener].port }) }
    func set(listener: Int, host: String, port: Int) { values.withLockedValue { $0[listener] = (host, port) } }
}

enum Clock {
    static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
