/// Writes delivery outcomes to the ledger in groups: whatever the workers finished while the
/// last transaction ran goes in the next one. Each worker still waits for its own outcome to
/// be committed before it takes another delivery, so a crash repeats at most the deliveries
/// in flight; but the ledger sees one transaction per group instead of one per delivery.
actor OutcomeRecorder {
    private let ledger: DeliveryLedger
    private var waiting: [(PendingDelivery, DeliveryLedger.Outcome, CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(ledger: DeliveryLedger) { self.ledger = ledger }

    func record(_ delivery: PendingDelivery, _ outcome: DeliveryLedger.Outcome) async throws {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((delivery, outcome, continuation))
            if !writing {
                writing = true
                Task { await self.writeGroups() }
            }
        }
    }

    private func writeGroups() async {
        while !waiting.isEmpty {
            let group = waiting
            waiting = []
            do {
                try await ledger.record(group.map { ($0.0, $0.1) })
                for item in group { item.2.resume() }
            } catch {
                for item in group { item.2.resume(throwing: error) }
            }
        }
        writing = false
    }
}
