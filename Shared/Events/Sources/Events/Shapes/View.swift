/// A read side's shape (fmodel's `View`): a state built from events alone, never refusing
/// one. Tested as given events, then the state.
public struct View<State, Event> {
    public let initialState: State
    public let evolve: @Sendable (State, Event) -> State

    public init(initialState: State, evolve: @escaping @Sendable (State, Event) -> State) {
        self.initialState = initialState
        self.evolve = evolve
    }

    /// The state `events` make from the initial state.
    public func fold(_ events: some Sequence<Event>) -> State {
        events.reduce(initialState, evolve)
    }
}

extension View: Sendable where State: Sendable {}
