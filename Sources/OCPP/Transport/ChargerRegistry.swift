/// Which identities are connected, and which connections hold an admitted handshake that has not completed.
///
/// A value type: the server core owns one on its event loop. Reservations make the duplicate and limit checks
/// hold between admission and the end of the upgrade.
struct ChargerRegistry: Sendable {
    /// The outcome of asking for a place.
    enum Reservation: Hashable, Sendable {
        /// The place is held; `replacing` is the connection the new one will take over from, if any.
        case reserved(replacing: UInt64?)
        /// The identity is connected (or being connected) and replacement is off.
        case duplicate
        /// `maximum` connections are open or admitted.
        case full
    }

    /// Open connections by identity.
    private(set) var open: [String: UInt64] = [:]
    /// Admitted handshakes by connection, with their identity.
    private var reserved: [UInt64: String] = [:]

    /// Open connections and admitted handshakes together.
    var count: Int { open.count + reserved.count }

    /// Holds a place for `identity` on connection `id`.
    mutating func reserve(_ identity: String, id: UInt64, replaceExisting: Bool, maximum: Int) -> Reservation {
        let current = open[identity]
        let pending = reserved.values.contains(identity)
        if !replaceExisting, current != nil || pending { return .duplicate }
        // A replacement takes the old connection's place instead of adding one.
        guard current != nil || count < maximum else { return .full }
        reserved[id] = identity
        return .reserved(replacing: current)
    }

    /// Drops a reservation whose handshake did not complete.
    mutating func release(_ id: UInt64) {
        reserved[id] = nil
    }

    /// Turns the reservation of `id` into the open connection of its identity; returns the identity.
    mutating func open(_ id: UInt64) -> String? {
        guard let identity = reserved.removeValue(forKey: id) else { return nil }
        open[identity] = id
        return identity
    }

    /// The open connection of `identity`.
    func current(_ identity: String) -> UInt64? {
        open[identity]
    }

    /// Forgets connection `id` of `identity`; a newer connection of the same identity stays.
    mutating func close(_ identity: String, id: UInt64) {
        if open[identity] == id { open[identity] = nil }
    }
}
