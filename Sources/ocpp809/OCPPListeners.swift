import OCPP
import Rules
import TransportSecurity

/// The OCPP listeners of a serve or run command: a plain one and an optional TLS one.
enum OCPPListeners {
    /// The TLS listener a site's `ocpp.tls` asks for, if any.
    static func siteTLS(_ site: Rules.CentralSystem?) -> (address: String, files: TLSServerSettings)? {
        guard let tls = site?.tls else { return nil }
        return (tls.listen, TLSServerSettings(certificateChainPath: tls.certificate, privateKeyPath: tls.privateKey,
                                              clientCertificateAuthoritiesPath: tls.clientCertificateAuthorities))
    }

    /// The listeners; TLS files are loaded now, so a bad certificate or key stops the command with the file named
    /// instead of failing every charger later.
    static func make(plain: String?, tls: (address: String, files: TLSServerSettings)?) throws -> [OCPPListener] {
        var listeners: [OCPPListener] = []
        if let plain {
            let (host, port) = try HostPort.parse(plain)
            listeners.append(OCPPListener(host: host, port: port))
        }
        if let tls {
            let (host, port) = try HostPort.parse(tls.address)
            listeners.append(OCPPListener(host: host, port: port, tls: try TLSServer(settings: tls.files)))
        }
        return listeners
    }
}
