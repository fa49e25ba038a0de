extension Decider where Command == Events.Command, State == OrderState, Event == OrderEvent, Failure == Rejection {
    /// The order aggregate in the Decider shape: `decide` and `evolve`, from an order with no
    /// events. OrderCommand's ledger calls the same two functions on the partition's fold.
    public static func order(rules: OrderRules = .default) -> Self {
        Decider(
            initialState: OrderState(),
            decide: { command, state in Events.decide(command, state: state, rules: rules).map { [$0] } },
            evolve: { state, event in Events.evolve(state, event) })
    }
}
