/// The Xen heap could not satisfy a request. The description is Xen's own printk.
public struct XenHeapError: Error, Equatable, CustomStringConvertible {
    /// log2 of the pages asked for.
    public var order: Int

    public init(order: Int) {
        self.order = order
    }

    public var description: String { "Cannot handle page request order \(order)!" }
}
