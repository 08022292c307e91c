extension DomainEvent.Payload {
    /// The payload with every interned name's raw index passed through `transform`; each event
    /// type's definition knows which of its members are names (`EventDefinition.mappingNames`).
    @inline(__always)
    func mappingNames(_ transform: (Int32) -> Int32) -> DomainEvent.Payload {
        kind.mappingNames(self, transform)
    }
}
