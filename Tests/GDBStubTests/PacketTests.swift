@testable import GDBStub
import XCTest

final class PacketTests: XCTestCase {
}
