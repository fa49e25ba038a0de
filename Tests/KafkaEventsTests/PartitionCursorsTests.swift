import Testing

@testable import KafkaEvents

/// Which records in hand a projection may apply after seeks.
@Suite struct PartitionCursorsTests {
    @Test func recordsAfterTheSeekApplyEvenAcrossAGap() {
        var cursors = PartitionCursors()
        cursors.assign(0, next: 10)
        let epoch = cursors.epoch
        #expect(cursors.admit(0, offset: 10, next: 10, askedAt: epoch) == .apply)
        // Asked for after the seek: a skip in offsets is the log's (transaction markers).
        #expect(cursors.admit(0, offset: 12, next: 11, askedAt: epoch) == .apply)
        #expect(cursors.admit(0, offset: 9, next: 10, askedAt: epoch) == .skip)
    }

    @Test func aRecordFromBeforeASeekBackIsDroppedAndThePartitionSoughtAgain() {
        var cursors = PartitionCursors()
        cursors.assign(0, next: 0)
        let before = cursors.epoch
        cursors.reseek(0, to: 5)
        // Handed out before the seek: only the exact next offset is trusted.
        #expect(cursors.admit(0, offset: 5, next: 5, askedAt: before) == .apply)
        #expect(cursors.admit(0, offset: 8, next: 5, askedAt: before) == .reseek(5))
        #expect(cursors.admit(0, offset: 3, next: 5, askedAt: before) == .skip)
    }

    @Test func unownedStoppedAndBeyondTheStopAreSkipped() {
        var cursors = PartitionCursors()
        #expect(cursors.admit(0, offset: 0, next: 0, askedAt: 0) == .skip)
        cursors.assign(1, next: 0, stopBefore: 2)
        let epoch = cursors.epoch
        #expect(cursors.admit(1, offset: 1, next: 1, askedAt: epoch) == .apply)
        #expect(cursors.admit(1, offset: 2, next: 2, askedAt: epoch) == .skip)
        #expect(!cursors.reachedStops)
        cursors.advance(1, to: 2, ifEpoch: epoch)
        #expect(cursors.reachedStops)
        cursors.stop(1, at: 2, reason: "bad")
        #expect(cursors.admit(1, offset: 2, next: 2, askedAt: epoch) == .skip)
        cursors.revoke(1)
        #expect(cursors.cursors.isEmpty)
    }

    @Test func anAdvanceFromBeforeASeekIsIgnored() {
        var cursors = PartitionCursors()
        cursors.assign(0, next: 0)
        let epoch = cursors.epoch
        cursors.reseek(0, to: 7)
        cursors.advance(0, to: 3, ifEpoch: epoch)
        #expect(cursors.cursors[0]?.next == 7)
    }
}
