/// Checks `Authorization: Bearer <token>` against the configured token.
struct BearerAuthorization: Sendable {
    private let expected: [UInt8]

    /// A check for `token`. An empty token admits nobody: an empty secret is a misconfiguration, not "no auth".
    init(token: String) {
        expected = Array(token.utf8)
    }

    /// Whether the request's Authorization header values carry the token. Two headers are ambiguous and refused;
    /// the scheme is case-insensitive (RFC 9110 §11.1).
    func admits(_ authorizationValues: [String]) -> Bool {
        guard authorizationValues.count == 1, !expected.isEmpty else { return false }
        let value = authorizationValues[0]
        let scheme = "bearer "
        guard value.utf8.count > scheme.utf8.count,
              value.prefix(scheme.count).lowercased() == scheme else { return false }
        let presented = value.dropFirst(scheme.count).drop { $0 == " " }
        return Self.constantTimeEquals(Array(presented.utf8), expected)
    }

    /// Compares in time that depends only on the expected length, so response timing does not reveal how many
    /// leading bytes of a guess were right.
    static func constantTimeEquals(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt64(truncatingIfNeeded: presented.count ^ expected.count)
        for index in expected.indices {
            let byte = index < presented.count ? presented[index] : 0
            difference |= UInt64(byte ^ expected[index])
        }
        return difference == 0
    }
}
