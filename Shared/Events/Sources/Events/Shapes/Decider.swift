/// The write side's shape (fmodel's `Decider`): what a command decides given the state its
/// events made, and how each event changes that state. Pure functions and an initial state,
/// so a rule is tested as given events, when a command, then events (or a rejection).
public struct Decider<Command, State, Event, Failure: Error> {
    public let initialState: State
    public let decide: @Sendable (Command, State) -> Result<[Event], Failure>
    public let evolve: @Sendable (State, Event) -> State

    public init(
        initialState: State, decide: @escaping @Sendable (Command, State) -> Result<[Event], Failure>,
        evolve: @escaping @Sendable (State, Event) -> State
    ) {
        self.initialState = initialState
        self.decide = decide
        self.evolve = evolve
    }

    /// The state `events` make from the initial state.
    public func fold(_ events: some Sequence<Event>) -> State {
        events.reduce(initialState, evolve)
    }

    /// Given `events` so far, when `command`: the events it decides, or why not.
    public func given(_ events: some Sequence<Event>, when command: Command) -> Result<[Event], Failure> {
        decide(command, fold(events))
    }
}

extension Decider: Sendable where State: Sendable {}
