import NIOCore

extension SocketAddress {
    /// "HOST:PORT" (IPv6 hosts in brackets), as logs and status lines show addresses.
    package var hostAndPort: String {
        guard let ip = ipAddress, let port else { return "\(self)" }
        if case .v6 = self { return "[\(ip)]:\(port)" }
        return "\(ip):\(port)"
    }
}
