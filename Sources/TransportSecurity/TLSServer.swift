import Foundation
import NIOCore
import NIOSSL

/// A TLS server context loaded once from its settings, which secures every connection a listener accepts.
///
/// TLS 1.2 is the oldest version offered (OCPP's security profiles 2 and 3 require at least 1.2). With client
/// authorities configured, clients are asked for a certificate: one they present must verify against those
/// authorities or the handshake fails, but a client without one still connects, so that profile 2 chargers
/// (password over TLS) and profile 3 chargers (client certificate) can share a listener; admission then
/// decides per charger what it must have shown.
public final class TLSServer: Sendable {
    /// The settings it was loaded from.
    public let settings: TLSServerSettings
    private let context: NIOSSLContext

    /// Loads the certificate chain, key and client authorities; every problem is a `TLSSetupError`.
    public init(settings: TLSServerSettings) throws(TLSSetupError) {
        self.settings = settings
        let chain = try Self.certificates(at: settings.certificateChainPath, what: "certificate")
        try Self.checkReadable(settings.privateKeyPath, what: "private key")
        guard let key = try? NIOSSLPrivateKey(file: settings.privateKeyPath, format: .pem) else {
            throw .unusablePrivateKey(path: settings.privateKeyPath)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let path = settings.clientCertificateAuthoritiesPath {
            let authorities = try Self.certificates(at: path, what: "client certificate authorities")
            configuration.trustRoots = .certificates(authorities)
            configuration.certificateVerification = .optionalVerification
            configuration.sendCANameList = true
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .rejected("\(error)")
        }
    }

    /// Whether clients are asked for a certificate.
    public var requestsClientCertificates: Bool { settings.clientCertificateAuthoritiesPath != nil }

    /// Puts the TLS handler first in a freshly accepted connection's pipeline; call on the connection's loop.
    public func secure(_ channel: Channel) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context), position: .first)
    }

    /// The client's verified certificate, once the TLS handshake is done; nil without TLS or without a certificate.
    public static func peerCertificate(of channel: Channel) -> PeerCertificate? {
        guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
              let certificate = handler.peerCertificate else { return nil }
        let names = certificate.subjectName
        return PeerCertificate(
            commonName: names.last { $0.type == .commonName }?.value,
            organization: names.last { $0.type == .organization }?.value,
            serialNumber: certificate.serialNumber.map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined())
    }

    /// A short reason when `error` is a TLS failure (a failed handshake, an unverifiable certificate), else nil.
    public static func failureReason(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLError:
            switch error {
            case let .handshakeFailed(detail): "TLS handshake failed: \(detail)"
            case .uncleanShutdown: "TLS connection ended without close_notify"
            default: "TLS error: \(error)"
            }
        case let error as BoringSSLError: "TLS error: \(error)"
        default: nil
        }
    }

    private static func certificates(at path: String, what: String) throws(TLSSetupError) -> [NIOSSLCertificate] {
        try checkReadable(path, what: what)
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw .noCertificate(path: path)
        }
        return certificates
    }

    private static func checkReadable(_ path: String, what: String) throws(TLSSetupError) {
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadableFile(path: path, what: what) }
    }
}
