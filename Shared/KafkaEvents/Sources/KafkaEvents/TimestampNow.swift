import Events
import Foundation

extension Timestamp {
    /// The wall clock now, in whole milliseconds (Events keeps no clock: its functions are pure).
    public static var now: Timestamp { Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))) }
}
