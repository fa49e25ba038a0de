import Foundation
import OrdersCLI

/// `orders`: every error is one line and an exit code (see `OrdersCommand.runMain`).
@main
struct OrdersMain {
    static func main() async {
        exit(await OrdersCommand.runMain())
    }
}
