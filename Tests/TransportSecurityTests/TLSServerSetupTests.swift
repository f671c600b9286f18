import Foundation
import Testing
import TransportSecurity

/// The test PKI under Tests/Fixtures/tls (see its make.sh).
enum TestPKI {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tls")

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

@Suite("TLS server setup")
struct TLSServerSetupTests {
    @Test("a certificate with its key loads; client certificates are requested only with authorities")
    func loads() throws {
        let plain = try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"),
                                                              privateKeyPath: TestPKI.path("server.key")))
        #expect(!plain.requestsClientCertificates)
        let mutual = try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"),
                                                               privateKeyPath: TestPKI.path("server.key"),
                                                               clientCertificateAuthoritiesPath: TestPKI.path("ca.pem")))
        #expect(mutual.requestsClientCertificates)
    }

    @Test("every setup problem is a typed error naming the file")
    func problems() {
        let missing = TestPKI.path("absent.pem")
        #expect(throws: TLSSetupError.unreadableFile(path: missing, what: "certificate")) {
            try TLSServer(settings: TLSServerSettings(certificateChainPath: missing, privateKeyPath: TestPKI.path("server.key")))
        }
        #expect(throws: TLSSetupError.unreadableFile(path: missing, what: "private key")) {
            try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"), privateKeyPath: missing))
        }
        // A key where the certificate belongs, and a certificate where the key belongs.
        #expect(throws: TLSSetupError.noCertificate(path: TestPKI.path("server.key"))) {
            try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.key"),
                                                      privateKeyPath: TestPKI.path("server.key")))
        }
        #expect(throws: TLSSetupError.unusablePrivateKey(path: TestPKI.path("server.pem"))) {
            try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"),
                                                      privateKeyPath: TestPKI.path("server.pem")))
        }
        #expect(throws: TLSSetupError.noCertificate(path: TestPKI.path("make.sh"))) {
            try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"),
                                                      privateKeyPath: TestPKI.path("server.key"),
                                                      clientCertificateAuthoritiesPath: TestPKI.path("make.sh")))
        }
    }

    @Test("a key that does not belong to the certificate is refused at setup, not at the first charger")
    func mismatchedKey() {
        do {
            _ = try TLSServer(settings: TLSServerSettings(certificateChainPath: TestPKI.path("server.pem"),
                                                          privateKeyPath: TestPKI.path("unrelated.key")))
            Issue.record("a mismatched key was accepted")
        } catch {
            guard case .rejected = error else {
                Issue.record("expected .rejected, got \(error)")
                return
            }
            #expect(error.description.contains("refused"))
        }
    }
}
