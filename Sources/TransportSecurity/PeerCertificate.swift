/// What a client proved with its certificate: the verified certificate's subject, for an admission decision.
///
/// It only exists for a certificate that verified against the server's client authorities; an unverifiable one
/// ends the TLS handshake before any application sees the connection.
public struct PeerCertificate: Hashable, Sendable, CustomStringConvertible {
    /// The subject's common name (the most significant one when there are several); for OCPP, the charger identity.
    public var commonName: String?
    /// The subject's organization; for OCPP, the operator the charger belongs to.
    public var organization: String?
    /// The serial number as lowercase hex, for logs.
    public var serialNumber: String

    /// Creates the facts of a certificate.
    public init(commonName: String?, organization: String?, serialNumber: String) {
        self.commonName = commonName
        self.organization = organization
        self.serialNumber = serialNumber
    }

    /// The subject and serial, for logs.
    public var description: String {
        "CN=\(commonName ?? "-"), O=\(organization ?? "-"), serial \(serialNumber)"
    }
}
