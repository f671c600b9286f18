/// The function of a U-frame (unnumbered control), one bit of the first control octet each.
public enum UFunction: UInt8, CaseIterable, Sendable {
    /// Start data transfer, activation.
    case startDTActivation = 0x04
    /// Start data transfer, confirmation.
    case startDTConfirmation = 0x08
    /// Stop data transfer, activation.
    case stopDTActivation = 0x10
    /// Stop data transfer, confirmation.
    case stopDTConfirmation = 0x20
    /// Test frame, activation.
    case testFRActivation = 0x40
    /// Test frame, confirmation.
    case testFRConfirmation = 0x80
}
