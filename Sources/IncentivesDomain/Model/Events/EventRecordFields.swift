/// The type-dependent fields of an event in `EventTable`: four 32-bit slots,
/// one byte, presence flags and a 64-bit amount. What each holds is up to the event type's
/// definition (`EventDefinition.pack`); unused fields are zero.
struct EventRecordFields: Equatable {
    var a: Int32 = 0
    var b: Int32 = 0
    var c: Int32 = 0
    var d: Int32 = 0
    var small: UInt8 = 0
    var flags: UInt8 = 0
    var amount: Int64 = 0
}
