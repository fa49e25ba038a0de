import NIOCore

/// `GET /health/live` at a constant rate over one keep-alive connection, one request at a
/// time, each latency from its *intended* time: the floor the HTTP path alone costs under the
/// same load, plus any lag of the process that probes (a probe that falls behind is charged for
/// the wait). Runs on the connection's event loop.
final class HealthProbe {
    private let connection: HTTPConnection
    private let loop: any EventLoop
    private let schedule: OpenLoop
    private let start: NIODeadline
    private let measureFrom: NIODeadline
    private let finished: EventLoopPromise<[Double]>
    private var next = 0
    private var latencies: [Double] = []

    /// Probes at `rate`/s for `duration` seconds from `start`, keeping the latencies (seconds)
    /// of probes intended at or after `measureFrom`.
    init(connection: HTTPConnection, loop: any EventLoop, rate: Double, duration: Double, start: NIODeadline, measureFrom: NIODeadline) {
        self.connection = connection
        self.loop = loop
        self.schedule = OpenLoop(rate: rate, duration: duration)
        self.start = start
        self.measureFrom = measureFrom
        self.finished = loop.makePromise()
    }

    /// Starts probing; the future holds the latencies once the schedule is through.
    func run() -> EventLoopFuture<[Double]> {
        probeWhenDue()
        return finished.futureResult
    }

    private func probeWhenDue() {
        guard next < schedule.count else { return finished.succeed(latencies) }
        let intended = schedule.due(next, from: start)
        if NIODeadline.now() < intended {
            let me = NIOLoopBound(self, eventLoop: loop)
            loop.scheduleTask(deadline: intended) { me.value.probe(intended) }
        } else {
            probe(intended)
        }
    }

    private func probe(_ intended: NIODeadline) {
        next += 1
        connection.send(HTTPRequestBytes.get("/health/live", host: connection.host, allocator: connection.allocator)) { result in
            switch result {
            case .success:
                if intended >= self.measureFrom { self.latencies.append(intended.secondsAgo) }
                self.probeWhenDue()
            case .failure(let error):
                self.finished.fail(error)
            }
        }
    }
}
