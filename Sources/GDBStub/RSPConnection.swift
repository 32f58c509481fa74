#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte pipe to gdb over file descriptors: a TCP socket (one fd both ways) or stdin/stdout
/// (`target remote | xdbg … --gdb-stdio`).
final class RSPConnection {
    let readFD: Int32
    let writeFD: Int32
    let ownsDescriptors: Bool

    init(readFD: Int32, writeFD: Int32, ownsDescriptors: Bool) {
        self.readFD = readFD
        self.writeFD = writeFD
        self.ownsDescriptors = ownsDescriptors
    }

    deinit { close() }

    var closed = false
    func close() {
        guard !closed else { return }
        closed = true
        guard ownsDescriptors else { return }
        _ = Glibc.close(readFD)
        if writeFD != readFD { _ = Glibc.close(writeFD) }
    }

    /// Whether bytes (or end of file) are waiting, within `timeoutMilliseconds` (-1: forever).
    func readable(timeoutMilliseconds: Int32) -> Bool {
        var p = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, timeoutMilliseconds)
        return r > 0
    }

    /// Some bytes, or nil at end of file or on an error (the client is gone).
    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// Writes everything; false when the client is gone. Never raises SIGPIPE on sockets.
    @discardableResult
    func write(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                let p = raw.baseAddress! + offset, count = raw.count - offset
                let sent = send(writeFD, p, count, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == ENOTSOCK { return Glibc.write(writeFD, p, count) }
                return sent
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}

/// A listening TCP socket on 127.0.0.1.
final class TCPListener {
    let fd: Int32
    let port: UInt16

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Port 0 asks the system for a free port; `port` says which one it chose.
    init(port requested: UInt16) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(s, 4) == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc.close(s)
            throw Failure(description: "cannot listen on 127.0.0.1:\(requested): \(message)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        fd = s
        port = UInt16(bigEndian: actual.sin_port)
    }

    /// Whether a client is waiting to be accepted, within the timeout.
    func pending(timeoutMilliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, timeoutMilliseconds) > 0 && p.revents & Int16(POLLIN) != 0
    }

    func accept() -> RSPConnection? {
        let c = Glibc.accept(fd, nil, nil)
        guard c >= 0 else { return nil }
        var one: Int32 = 1
        setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return RSPConnection(readFD: c, writeFD: c, ownsDescriptors: true)
    }

    func close() { _ = Glibc.close(fd) }
}
