extension Array where Element == UInt8 {
    /// Hands these bytes to `output` once there are `minimumBytes` or more (and at least one),
    /// and empties the buffer, keeping its capacity: a long answer goes out in pieces as it is
    /// written, through one buffer. The JSON and CSV writers and the long tables all write out so.
    mutating func writeOut(ifAtLeast minimumBytes: Int, to output: ([UInt8]) -> Void) {
        guard count >= minimumBytes, !isEmpty else { return }
        output(self)
        removeAll(keepingCapacity: true)
    }
}
