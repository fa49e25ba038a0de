import DequeModule
import Foundation
import NIOCore

/// The visible-latency run's state, on one event loop (see `VisibleLatency`): due commands
/// wait for a free connection to order-command, accepted ones for a free connection to
/// order-query; each connection carries one request at a time.
final class VisibleLatencyDriver {
    struct Counts: Sendable {
        var sent = 0
        var accepted = 0
        var non2xx = 0
        var notVisible = 0
    }

    struct Outcome: Sendable {
        let counts: Counts
        /// Accepted → visible, seconds, of commands intended after the warm-up.
        let visible: [Double]
        let elapsed: Double
    }

    /// An accepted command whose query has not gone out yet.
    private struct Query {
        let pathAndQuery: String
        let accepted: NIODeadline
        let measured: Bool
    }

    /// What a 2xx command answer says: where the event is in the log.
    private struct Answer: Decodable {
        let orderId: String
        let position: String
    }

    private let loop: any EventLoop
    private let schedule: OpenLoop
    private let start: NIODeadline
    private let measureFrom: NIODeadline
    private let finished: EventLoopPromise<Outcome>
    private var idleCommandConnections: [HTTPConnection]
    private var idleQueryConnections: [HTTPConnection]
    /// Due commands not sent yet: whether each counts (intended after the warm-up).
    private var dueCommands = Deque<Bool>()
    private var dueQueries = Deque<Query>()
    private var pool: OrderPool
    private var counts = Counts()
    private var visible: [Double] = []
    private var scheduled = 0
    private var inFlight = 0
    private let decoder = JSONDecoder()

    init(loop: any EventLoop, commandConnections: [HTTPConnection], queryConnections: [HTTPConnection], schedule: OpenLoop,
         start: NIODeadline, measureFrom: NIODeadline, prefix: String) {
        self.loop = loop
        self.idleCommandConnections = commandConnections
        self.idleQueryConnections = queryConnections
        self.schedule = schedule
        self.start = start
        self.measureFrom = measureFrom
        self.pool = OrderPool(prefix: prefix)
        self.finished = loop.makePromise()
    }

    /// Runs the schedule; the future holds the outcome once every command and query is answered.
    func run() -> EventLoopFuture<Outcome> {
        releaseDue()
        return finished.futureResult
    }

    /// Queues every command now due, sends what free connections allow, and wakes at the next due time.
    private func releaseDue() {
        let now = NIODeadline.now()
        while scheduled < schedule.count {
            let intended = schedule.due(scheduled, from: start)
            guard intended <= now else {
                let me = NIOLoopBound(self, eventLoop: loop)
                loop.scheduleTask(deadline: intended) { me.value.releaseDue() }
                break
            }
            dueCommands.append(intended >= measureFrom)
            scheduled += 1
        }
        sendCommands()
        finishIfDone()
    }

    private func sendCommands() {
        while !dueCommands.isEmpty, let connection = idleCommandConnections.popLast() {
            let measured = dueCommands.removeFirst()
            let (walk, command) = pool.next()
            counts.sent += 1
            inFlight += 1
            let request = HTTPRequestBytes.post(command.path, host: connection.host, idempotencyKey: command.idempotencyKey,
                                                body: command.body, allocator: connection.allocator)
            connection.send(request) { result in
                self.inFlight -= 1
                self.commandAnswered(result, walk: walk, measured: measured, connection: connection)
            }
        }
    }

    private func commandAnswered(_ result: Result<HTTPAnswer, any Error>, walk: OrderWalk, measured: Bool, connection: HTTPConnection) {
        let accepted = NIODeadline.now()
        // A connection that fails ends the run: its figures would not be the system's.
        guard let answer = answerOrEnd(result) else { return }
        idleCommandConnections.append(connection)
        if answer.status == 200 || answer.status == 201 {
            do {
                let parsed = try decoder.decode(Answer.self, from: Data(answer.body.readableBytesView))
                counts.accepted += 1
                pool.answered(walk)
                dueQueries.append(Query(pathAndQuery: "/orders/\(parsed.orderId)?position=\(parsed.position)&waitMs=30000",
                                        accepted: accepted, measured: measured))
            } catch {
                return finished.fail(error)
            }
        } else {
            counts.non2xx += 1
        }
        sendQueries()
        sendCommands()
        finishIfDone()
    }

    private func sendQueries() {
        while !dueQueries.isEmpty, let connection = idleQueryConnections.popLast() {
            let query = dueQueries.removeFirst()
            inFlight += 1
            connection.send(HTTPRequestBytes.get(query.pathAndQuery, host: connection.host, allocator: connection.allocator)) { result in
                self.inFlight -= 1
                guard let answer = self.answerOrEnd(result) else { return }
                if answer.status != 200 {
                    self.counts.notVisible += 1
                } else if query.measured {
                    self.visible.append(query.accepted.secondsAgo)
                }
                self.idleQueryConnections.append(connection)
                self.sendQueries()
                self.finishIfDone()
            }
        }
    }

    private func finishIfDone() {
        guard scheduled == schedule.count, dueCommands.isEmpty, dueQueries.isEmpty, inFlight == 0 else { return }
        finished.succeed(Outcome(counts: counts, visible: visible, elapsed: start.secondsAgo))
    }

    /// The answer, or nil once its failure has ended the run.
    private func answerOrEnd(_ result: Result<HTTPAnswer, any Error>) -> HTTPAnswer? {
        do {
            return try result.get()
        } catch {
            finished.fail(error)
            return nil
        }
    }
}
