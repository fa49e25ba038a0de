// The command mix every load generator of the benchmarks sends (commands.lua, constant_rate.py):
// each order is placed with a unique id and walked through its life one command at a time,
//   4 in 5 orders: place -> add item -> add item -> confirm -> ship -> deliver  (6 commands)
//   1 in 5 orders: place -> add item -> cancel                                   (3 commands)
// The next command on an order goes out only after the answer to the one before (the service
// keeps one event in flight per order). Pure values: no I/O here.

import DequeModule

/// One order on its walk: which step was sent last.
struct OrderWalk: Sendable, Equatable {
    enum Step: String, Sendable {
        case place, add, confirm, ship, deliver, cancel
    }

    static let full: [Step] = [.place, .add, .add, .confirm, .ship, .deliver]
    static let short: [Step] = [.place, .add, .cancel]

    let id: String
    let number: Int
    let cancels: Bool
    /// The 1-based step last sent; 0 before the first.
    var step = 0

    init(prefix: String, number: Int) {
        self.id = "\(prefix)-\(number)"
        self.number = number
        self.cancels = number % 5 == 0
    }

    var steps: [Step] { cancels ? Self.short : Self.full }
    /// Whether the step last sent was the walk's last.
    var isFinished: Bool { step >= steps.count }

    /// The next step's HTTP request, and the walk advanced to it.
    mutating func advance() -> CommandRequest {
        step += 1
        let kind = steps[step - 1]
        let key = "\(id)-\(step)"
        switch kind {
        case .place:
            return CommandRequest(path: "/orders", idempotencyKey: key, body:
                #"{"orderId":"\#(id)","customerId":"c-\#(number % 1000)","currency":"EUR","items":[{"sku":"SKU-1","quantity":2,"unitPrice":1250}]}"#)
        case .add:
            return CommandRequest(path: "/orders/\(id)/items", idempotencyKey: key,
                                  body: #"{"sku":"SKU-\#(step)","quantity":1,"unitPrice":\#(100 * step)}"#)
        case .ship:
            return CommandRequest(path: "/orders/\(id)/ship", idempotencyKey: key,
                                  body: #"{"carrier":"DHL","trackingNumber":"JD\#(number)"}"#)
        case .cancel:
            return CommandRequest(path: "/orders/\(id)/cancel", idempotencyKey: key, body: #"{"reason":"changed my mind"}"#)
        case .confirm, .deliver:
            return CommandRequest(path: "/orders/\(id)/\(kind.rawValue)", idempotencyKey: key, body: "")
        }
    }
}

/// A command as it goes over HTTP: `POST path` with a JSON body and its own Idempotency-Key.
struct CommandRequest: Sendable, Equatable {
    let path: String
    let idempotencyKey: String
    let body: String
}

/// Which order gets the next command: the oldest one whose last answer came back, or a new one
/// when none waits. Every command slot is used, and no order ever has two commands in flight.
struct OrderPool: Sendable {
    let prefix: String
    private var waiting = Deque<OrderWalk>()
    private(set) var placed = 0

    init(prefix: String) { self.prefix = prefix }

    /// The walk to send next, already advanced to the step being sent, and that step's request.
    mutating func next() -> (OrderWalk, CommandRequest) {
        var walk = waiting.popFirst() ?? {
            placed += 1
            return OrderWalk(prefix: prefix, number: placed)
        }()
        let request = walk.advance()
        return (walk, request)
    }

    /// The answer to `walk`'s last command was a success: its next step may go out.
    mutating func answered(_ walk: OrderWalk) {
        if !walk.isFinished { waiting.append(walk) }
    }
}
