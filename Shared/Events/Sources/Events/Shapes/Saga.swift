/// A reaction's shape (fmodel's `Saga`): what to do when something happened, as a pure
/// function from what happened to the actions it calls for. Tested as when this, then these.
public struct Saga<ActionResult, Action> {
    public let react: @Sendable (ActionResult) -> [Action]

    public init(react: @escaping @Sendable (ActionResult) -> [Action]) {
        self.react = react
    }
}

extension Saga: Sendable {}
