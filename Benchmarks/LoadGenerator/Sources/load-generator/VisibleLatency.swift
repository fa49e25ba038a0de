import Foundation
import NIOCore
import NIOPosix

/// Command accepted → visible in the read model, at a constant command rate (issue 9's
/// measurement, as `Benchmarks/order-query/visible_latency.py` makes it, in native code).
///
/// Commands of the lifecycle mix go out open loop at `rate`/s over `connections` keep-alive
/// connections. For every 2xx answer, `GET /orders/{id}?position=P:O&waitMs=30000` goes to
/// order-query at once, over `connections` more; the latency is from the command's answer
/// (accepted) to the query's (visible), as a client doing read-your-writes sees it. Beside it,
/// `/health/live` of order-query is probed at 200/s on the same event loop, so that any lag of
/// the generator itself shows. Everything runs on one event-loop thread: the generator uses at
/// most one core, and little of it (its CPU time is reported).
struct VisibleLatency: Sendable {
    let command: ServiceAddress
    let query: ServiceAddress
    let rate: Double
    let duration: Double
    let warmup: Double
    let connections: Int
    let prefix: String

    /// One JSON object, with the keys visible_latency.py prints.
    struct Report: Encodable {
        var kind = "visible-latency"
        var generator = "swift"
        let target_rate: Double
        let sent: Int
        let accepted: Int
        let non2xx: Int
        let not_visible: Int
        let achieved_rate: Double
        let visible: LatencySummary?
        let health_live_in_client: LatencySummary?
        let generator_cpu_s: Double
    }

    func run() async throws -> Report {
        try await onOwnEventLoop(measure)
    }

    private func measure(on loop: any EventLoop) async throws -> Report {
        var commandConnections: [NIOLoopBound<HTTPConnection>] = []
        var queryConnections: [NIOLoopBound<HTTPConnection>] = []
        for _ in 0..<connections {
            commandConnections.append(try await HTTPConnection.connect(host: command.host, port: command.port, on: loop))
            queryConnections.append(try await HTTPConnection.connect(host: query.host, port: query.port, on: loop))
        }
        let probeConnection = try await HTTPConnection.connect(host: query.host, port: query.port, on: loop)
        let cpuBefore = Self.cpuSeconds()
        let (rate, duration, warmup, prefix) = (rate, duration, warmup, prefix)

        let (outcome, health) = try await loop.flatSubmit {
            let start = NIODeadline.now() + .milliseconds(300)
            let measureFrom = start + .fractionalSeconds(warmup)
            let driver = VisibleLatencyDriver(
                loop: loop, commandConnections: commandConnections.map(\.value), queryConnections: queryConnections.map(\.value),
                schedule: OpenLoop(rate: rate, duration: duration), start: start, measureFrom: measureFrom, prefix: prefix)
            let probe = HealthProbe(connection: probeConnection.value, loop: loop, rate: 200, duration: duration,
                                    start: start, measureFrom: measureFrom)
            return driver.run().and(probe.run())
        }.get()
        let cpu = Self.cpuSeconds() - cpuBefore
        try await loop.submit {
            for connection in commandConnections + queryConnections + [probeConnection] { connection.value.close() }
        }.get()

        let counts = outcome.counts
        return Report(target_rate: rate, sent: counts.sent, accepted: counts.accepted, non2xx: counts.non2xx,
                      not_visible: counts.notVisible,
                      achieved_rate: (Double(counts.accepted) / outcome.elapsed * 10).rounded() / 10,
                      visible: LatencySummary(seconds: outcome.visible),
                      health_live_in_client: LatencySummary(seconds: health),
                      generator_cpu_s: (cpu * 1000).rounded() / 1000)
    }

    /// CPU seconds (user and system) this process has used: the generator's own cost.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// The probe alone, in a process of its own (`load-generator probe`).
struct SeparateProbe: Sendable {
    let service: ServiceAddress
    let rate: Double
    let duration: Double
    let warmup: Double

    func run() async throws -> [Double] {
        try await onOwnEventLoop(measure)
    }

    private func measure(on loop: any EventLoop) async throws -> [Double] {
        let connection = try await HTTPConnection.connect(host: service.host, port: service.port, on: loop)
        let (rate, duration, warmup) = (rate, duration, warmup)
        let latencies = try await loop.flatSubmit {
            let start = NIODeadline.now()
            return HealthProbe(connection: connection.value, loop: loop, rate: rate, duration: duration, start: start,
                               measureFrom: start + .fractionalSeconds(warmup)).run()
        }.get()
        try await loop.submit { connection.value.close() }.get()
        return latencies
    }
}

/// Runs `body` on a fresh one-thread event loop, shut down afterwards.
private func onOwnEventLoop<Result: Sendable>(_ body: (any EventLoop) async throws -> Result) async throws -> Result {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    do {
        let result = try await body(group.next())
        try await group.shutdownGracefully()
        return result
    } catch {
        try? await group.shutdownGracefully()
        throw error
    }
}
