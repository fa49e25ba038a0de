import Foundation
import NIOConcurrencyHelpers

/// Tokens whose signature and claims were verified, with what the times still need: a bounded
/// map, emptied when full (a burst of distinct tokens costs verifications, never memory).
/// Only verified tokens go in, so junk sent by anyone cannot fill it.
final class VerifiedTokens: Sendable {
    struct Entry: Sendable {
        var principal: Principal
        var expires: Date
        var notBefore: Date?
    }

    private let capacity: Int
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    func entry(_ token: String) -> Entry? {
        entries.withLockedValue { $0[token] }
    }

    func insert(_ token: String, _ entry: Entry) {
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
