import Foundation
@testable import OrderCommand
import Testing

@Suite struct RandomUUIDsTests {
    @Test func versionFourAndDistinctAcrossRefills() {
        var ids = RandomUUIDs()
        var seen = Set<UUID>()
        for _ in 0..<2_000 {  // 2,000 × 16 B: several refills of the 4 KiB buffer
            let id = ids.next()
            let text = id.uuidString.lowercased()
            #expect(Array(text)[14] == "4", "\(text)")
            #expect("89ab".contains(Array(text)[19]), "\(text)")
            #expect(seen.insert(id).inserted, "\(text) came twice")
        }
    }
}
