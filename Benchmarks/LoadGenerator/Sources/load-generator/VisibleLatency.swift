import AsyncHTTPClient
import Foundation
import NIOCore
import NIOConcurrencyHelpers
import NIOHTTP1

/// Command accepted → visible in the read model, at a constant command rate (issue 9's
/// measurement, as `Benchmarks/order-query/visible_latency.py` makes it, in native code).
///
/// Commands of the lifecycle mix go out open loop at `rate`/s over up to `connections`
/// keep-alive connections. For every 2xx answer, `GET /orders/{id}?position=P:O&waitMs=30000`
/// goes to order-query at once, over up to `connections` more; the latency is from the
/// command's answer (accepted) to the query's (visible), as a client doing read-your-writes
/// sees it. Beside it, `/health/live` of order-query is probed at 200/s in this process.
struct VisibleLatency: Sendable {
    let commandURL: String
    let queryURL: String
    let rate: Double
    let duration: Double
    let warmup: Double
    let connections: Int
    let prefix: String

    struct Counts: Sendable {
        var sent = 0
        var accepted = 0
        var non2xx = 0
        var not_visible = 0
        var errors = 0
    }

    /// One JSON object, with the keys visible_latency.py prints (a summary with no values is
    /// left out).
    struct Report: Encodable {
        var kind = "visible-latency"
        var generator = "swift"
        let target_rate: Double
        let sent: Int
        let accepted: Int
        let non2xx: Int
        let not_visible: Int
        let errors: Int
        let achieved_rate: Double
        let visible: LatencySummary?
        let health_live_in_client: LatencySummary?
        let generator_cpu_s: Double
    }

    /// What a 2xx command answer says: where the event is in the log.
    private struct Answer: Decodable {
        let orderId: String
        let position: String
    }

    private struct State: Sendable {
        var pool: OrderPool
        var counts = Counts()
        var visible: [Double] = []
    }

    func run() async throws -> Report {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(connections))
        let clock = ContinuousClock()
        let start = clock.now + .milliseconds(300)
        let measureFrom = start + .nanoseconds(Int64(warmup * 1e9))
        let schedule = OpenLoop(start: start, rate: rate, duration: duration)
        let state = NIOLockedValueBox(State(pool: OrderPool(prefix: prefix)))
        let cpuBefore = Self.cpuSeconds()

        async let probe = HealthProbe(url: queryURL, rate: 200).run(from: start, measureFrom: measureFrom, until: schedule.end)
        await schedule.run { _, intended in
            await command(client: client, state: state, measured: intended >= measureFrom)
        }
        let health = await probe
        let elapsed = (clock.now - start).seconds
        try await client.shutdown()

        let final = state.withLockedValue { $0 }
        let counts = final.counts
        return Report(target_rate: rate, sent: counts.sent, accepted: counts.accepted, non2xx: counts.non2xx,
                      not_visible: counts.not_visible, errors: counts.errors,
                      achieved_rate: (Double(final.counts.accepted) / elapsed * 10).rounded() / 10,
                      visible: LatencySummary(seconds: final.visible),
                      health_live_in_client: LatencySummary(seconds: health.latencies),
                      generator_cpu_s: ((Self.cpuSeconds() - cpuBefore) * 1000).rounded() / 1000)
    }

    /// One command, then, if it was accepted, the query that waits until it is visible.
    private func command(client: HTTPClient, state: NIOLockedValueBox<State>, measured: Bool) async {
        let (walk, command) = state.withLockedValue { state in
            state.counts.sent += 1
            return state.pool.next()
        }
        var request = HTTPClientRequest(url: commandURL + command.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: command.idempotencyKey)
        request.body = .bytes(ByteBuffer(string: command.body))
        let answer: Answer
        let accepted: ContinuousClock.Instant
        do {
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            accepted = ContinuousClock.now
            guard response.status.code == 200 || response.status.code == 201 else {
                state.withLockedValue { $0.counts.non2xx += 1 }
                return
            }
            answer = try JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView))
        } catch {
            state.withLockedValue { $0.counts.errors += 1 }
            return
        }
        state.withLockedValue { state in
            state.counts.accepted += 1
            state.pool.answered(walk)
        }

        let position = answer.position.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? answer.position
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "\(queryURL)/orders/\(answer.orderId)?position=\(position)&waitMs=30000"),
                timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 1 << 20)
            let visible = ContinuousClock.now
            state.withLockedValue { state in
                if response.status.code != 200 {
                    state.counts.not_visible += 1
                } else if measured {
                    state.visible.append((visible - accepted).seconds)
                }
            }
        } catch {
            state.withLockedValue { $0.counts.errors += 1 }
        }
    }

    private static func configuration(_ connections: Int) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        // Per host: `connections` to order-command and as many to order-query.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        configuration.decompression = .disabled
        return configuration
    }

    /// CPU seconds (user and system) this process has used: the generator's own cost.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
