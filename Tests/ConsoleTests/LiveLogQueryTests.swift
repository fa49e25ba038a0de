import Events
import OrderLog
import Testing

@testable import Console

/// The live log's filters, as the page's form and the stream's query give them.
@Suite struct LiveLogQueryTests {
    @Test func parametersAreReadIntoAQuery() throws {
        let query = try LiveLogQuery(
            parameters: [("from", "@2026-12-06T00:00:00Z"), ("partition", "2"), ("partition", "0"), ("order", "o-1"), ("type", "OrderShipped")],
            lastEventID: "0:4,2:9", partitionCount: 3)
        #expect(query.from == .timestamp(1_796_515_200_000))
        #expect(query.partitions == [0, 2])
        #expect(query.order == "o-1")
        #expect(query.types == [.orderShipped])
        #expect(query.resume == StreamCursor([0: 4, 2: 9]))
        #expect(query.follow)
        #expect(try LiveLogQuery(parameters: [], lastEventID: nil, partitionCount: 3) == LiveLogQuery())
        #expect(try LiveLogQuery(parameters: [("follow", "false")], lastEventID: nil, partitionCount: 3).follow == false)
    }

    @Test func eachMistakeIsRefusedInOneLine() {
        let refused: [[(String, String)]] = [
            [("from", "yesterday")], [("from", "@2026-12-06")], [("partition", "x")], [("partition", "-1")], [("partition", "3")],
            [("order", "no spaces allowed")], [("order", String(repeating: "o", count: 65))], [("order", "o'; DROP TABLE orders;--")],
            [("type", "OrderLost")], [("sort", "asc")], [("follow", "1")], [("follow", "")],
        ]
        for parameters in refused {
            #expect(throws: LiveLogQuery.Refusal.self, "\(parameters)") {
                try LiveLogQuery(parameters: parameters, lastEventID: nil, partitionCount: 3)
            }
        }
        #expect(throws: LiveLogQuery.Refusal.self) { try LiveLogQuery(parameters: [], lastEventID: "0:1,3:0", partitionCount: 3) }
        #expect(throws: LiveLogQuery.Refusal.self) { try LiveLogQuery(parameters: [], lastEventID: "garbage", partitionCount: 3) }
    }

    @Test func theOrderNarrowsThePartitionsToItsHome() throws {
        let partitionOf: (String) -> Int32 = { $0 == "o-1" ? 1 : 2 }
        #expect(LiveLogQuery().partitionsToRead(partitionCount: 3, partitionOf: partitionOf) == [0, 1, 2])
        let order = try LiveLogQuery(parameters: [("order", "o-1")], lastEventID: nil, partitionCount: 3)
        #expect(order.partitionsToRead(partitionCount: 3, partitionOf: partitionOf) == [1])
        let elsewhere = try LiveLogQuery(parameters: [("order", "o-1"), ("partition", "0")], lastEventID: nil, partitionCount: 3)
        #expect(elsewhere.partitionsToRead(partitionCount: 3, partitionOf: partitionOf) == nil)
    }

    @Test func showsFiltersByOrderAndType() throws {
        let placed = LoggedEvent(partition: 0, offset: 0, timestamp: 0, orderId: "o-1", version: 1, eventType: "OrderPlaced", inEffect: true)
        let noKey = LoggedEvent(partition: 0, offset: 1, timestamp: 0, orderId: nil, version: nil, eventType: nil, inEffect: false, void: "no order key")
        #expect(LiveLogQuery().shows(placed) && LiveLogQuery().shows(noKey))
        let byType = try LiveLogQuery(parameters: [("type", "OrderShipped")], lastEventID: nil, partitionCount: 1)
        #expect(!byType.shows(placed) && !byType.shows(noKey))
        let byOrder = try LiveLogQuery(parameters: [("order", "o-1")], lastEventID: nil, partitionCount: 1)
        #expect(byOrder.shows(placed) && !byOrder.shows(noKey))
    }
}
