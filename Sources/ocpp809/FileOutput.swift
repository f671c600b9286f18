#if canImport(Glibc)
import Glibc
#endif

/// Writes straight to the standard file descriptors, so output and diagnostics never interleave mid-line.
enum FileOutput {
    static func standardOutput(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func standardError(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
