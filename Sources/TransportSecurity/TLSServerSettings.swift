/// Where a TLS server finds its certificate, its key and the authorities it trusts for client certificates.
///
/// Every member is a path to a PEM file, so a site's files can be replaced (and the gateway restarted) without
/// touching the configuration.
public struct TLSServerSettings: Hashable, Sendable {
    /// The server's certificate followed by any intermediates, leaf first.
    public var certificateChainPath: String
    /// The server's private key (unencrypted PEM, RSA or EC).
    public var privateKeyPath: String
    /// The authorities that sign client certificates (OCPP security profile 3); nil asks no client for one.
    public var clientCertificateAuthoritiesPath: String?

    /// Creates settings from paths.
    public init(certificateChainPath: String, privateKeyPath: String, clientCertificateAuthoritiesPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCertificateAuthoritiesPath = clientCertificateAuthoritiesPath
    }
}

/// Why a TLS server could not be set up from its settings; each case names the file.
public enum TLSSetupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file does not exist or cannot be read.
    case unreadableFile(path: String, what: String)
    /// A file holds no certificate in PEM form.
    case noCertificate(path: String)
    /// The key file holds no usable private key (not PEM, encrypted, or an unsupported algorithm).
    case unusablePrivateKey(path: String)
    /// The TLS library refused the combination (for example a key that does not belong to the certificate).
    case rejected(String)

    /// One line for the operator.
    public var description: String {
        switch self {
        case let .unreadableFile(path, what): "cannot read the \(what) file \(path)"
        case let .noCertificate(path): "\(path) holds no PEM certificate"
        case let .unusablePrivateKey(path): "\(path) holds no usable private key (an unencrypted PEM RSA or EC key is needed)"
        case let .rejected(reason): "the TLS library refused the certificate and key: \(reason)"
        }
    }
}
