import AsyncHTTPClient
import NIOCore

/// `GET /health/live` at a constant rate on one keep-alive connection, one request at a time,
/// each latency from its *intended* time: the floor the HTTP path alone costs under the same
/// load, plus any lag of the process that probes (a probe that falls behind is charged for it).
struct HealthProbe: Sendable {
    let url: String
    let rate: Double

    /// Probes from `schedule.start` until `until`, keeping the latencies of probes intended at
    /// or after `measureFrom`, in seconds.
    func run(from start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant,
             until end: ContinuousClock.Instant) async -> (latencies: [Double], errors: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let clock = ContinuousClock()
        let loop = OpenLoop(start: start, rate: rate, duration: (end - start).seconds)
        var latencies: [Double] = []
        var errors = 0
        for index in 0..<loop.count {
            let intended = loop.intended(index)
            if clock.now < intended { try? await clock.sleep(until: intended, tolerance: .microseconds(50)) }
            do {
                let response = try await client.execute(HTTPClientRequest(url: "\(url)/health/live"), timeout: .seconds(30))
                _ = try await response.body.collect(upTo: 1 << 20)
                if intended >= measureFrom { latencies.append((clock.now - intended).seconds) }
            } catch {
                errors += 1
            }
        }
        try? await client.shutdown()
        return (latencies, errors)
    }
}
