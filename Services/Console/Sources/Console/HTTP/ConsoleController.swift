import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import OrderLog
import ServiceHTTP

/// The console's pages and streams: `/` (to the live log), `/log` (the page), `/log/events`
/// (its Server-Sent Events stream).
struct ConsoleController: Sendable {
    let source: any LogSource
    let topicName: String
    let clientBuffer: Int
    let keepAlive: Duration
    let metrics: ConsoleMetrics
    let page = LogPage()

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            Response(status: .seeOther, headers: [.location: "/log"])
        }
        router.get("/log") { request, _ in await answer { try await logPage(request) } }
        router.get("/log/events") { request, _ in await answer { try await logEvents(request) } }
        for path in ["/", "/log", "/log/events"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
    }

    /// The query's parameters in order, empty values left out (a form's "any" choice).
    private func queryParameters(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }.filter { !$0.1.isEmpty }
    }

    private func logPage(_ request: Request) async throws -> Response {
        let parameters = queryParameters(request)
        var problem: String?
        var topic: LogReader.Topic?
        do {
            topic = try await source.topic()
        } catch {
            problem = "The log cannot be read now (\(error)); the page keeps trying."
        }
        let query: LiveLogQuery
        do throws(LiveLogQuery.Refusal) {
            // Without the topic, any partition number is taken; the stream checks it.
            query = try LiveLogQuery(parameters: parameters, lastEventID: nil, partitionCount: topic?.partitionCount ?? .max)
        } catch {
            throw ConsoleProblem(.validation, error.detail)
        }
        let stream = "/log/events" + (parameters.isEmpty ? "" : "?" + parameters.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&"))
        let html = page.render(.init(
            topic: topicName, partitionCount: topic?.partitionCount, query: query,
            fromText: parameters.last { $0.0 == "from" }?.1 ?? "", streamPath: stream, problem: problem))
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func logEvents(_ request: Request) async throws -> Response {
        var parameters = queryParameters(request)
        // `after` is `Last-Event-ID` for a page that starts a new stream where the last one
        // stopped; the header, which a browser sends when it reconnects by itself, wins.
        let after = parameters.last { $0.0 == "after" }?.1
        parameters.removeAll { $0.0 == "after" }
        let topic: LogReader.Topic
        do {
            topic = try await source.topic()
        } catch {
            throw ConsoleProblem(.unavailable, "the log cannot be read: \(error)")
        }
        // An empty header is no header (a browser sends none before its first event).
        let header = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { $0.isEmpty ? nil : $0 }
        let query: LiveLogQuery
        do throws(LiveLogQuery.Refusal) {
            // `after` is checked even when the header wins: a malformed one is a mistake either way.
            if let after, header != nil { _ = try LiveLogQuery.cursor(after, partitionCount: topic.partitionCount) }
            query = try LiveLogQuery(parameters: parameters, lastEventID: header ?? after, partitionCount: topic.partitionCount)
        } catch {
            throw ConsoleProblem(.validation, error.detail)
        }
        guard let partitions = query.partitionsToRead(partitionCount: topic.partitionCount, partitionOf: topic.partitionOf) else {
            let home = query.order.map(topic.partitionOf) ?? 0
            throw ConsoleProblem(.validation, "order \(query.order ?? "") lives in partition \(home), not in \(query.partitions.sorted())")
        }
        // Where each partition starts: where the stream stopped, else where `from` says.
        var start = query.resume?.next ?? [:]
        let missing = partitions.filter { start[$0] == nil }
        if !missing.isEmpty {
            let offsets: [Int32: Int64]
            do {
                offsets = try await source.startOffsets(query.from, partitions: missing)
            } catch {
                throw ConsoleProblem(.unavailable, "the log's offsets cannot be read: \(error)")
            }
            for partition in missing { start[partition] = offsets[partition] ?? 0 }
        }
        start = start.filter { partitions.contains($0.key) }
        let metrics = self.metrics
        let stream = LiveLogStream(source: source, capacity: clientBuffer, keepAlive: keepAlive, sent: { metrics.sent() })
        let cursor = StreamCursor(start)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ],
            body: ResponseBody { writer in
                metrics.streamOpened()
                defer { metrics.streamClosed() }
                do {
                    let ending = try await stream.run(partitions: partitions, query: query, start: cursor) { buffer in
                        try await writer.write(buffer)
                    }
                    if ending == .fellBehind { metrics.droppedBehind() }
                    try await writer.finish(nil)
                } catch {
                    // The client went away: nothing is left to tell it.
                }
            })
    }

    /// Percent-encodes a query parameter's name or value (all but RFC 3986's unreserved).
    private func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
