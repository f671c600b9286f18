import Testing
@testable import OCPP

/// Builds incoming calls from JSON text and normalizes them, for the normalizer's tests.
enum NormalizerFixture {
    /// A call of `action` with the payload `json` (an object).
    static func call(_ version: OCPPVersion, _ action: String, _ json: String) throws -> IncomingCall {
        let payload = try #require(try JSONParser.parse(json).objectValue)
        return IncomingCall(identity: "CP-1", version: version, id: "1", action: action, payload: payload)
    }

    /// The lenient (or `policy`) result, which must succeed.
    static func normalized(
        _ version: OCPPVersion, _ action: String, _ json: String, policy: SanitizerPolicy = .lenient,
        assignedTransactionId: String? = nil
    ) throws -> NormalizedCall {
        let call = try call(version, action, json)
        return try Normalizer.normalize(call, policy: policy, assignedTransactionId: assignedTransactionId).get()
    }

    /// The error of a normalization that must fail.
    static func failure(
        _ version: OCPPVersion, _ action: String, _ json: String, policy: SanitizerPolicy = .lenient
    ) throws -> NormalizationError {
        let result = Normalizer.normalize(try call(version, action, json), policy: policy)
        guard case .failure(let error) = result else {
            Issue.record("expected a NormalizationError, got \(result)")
            return NormalizationError(path: "", message: "")
        }
        return error
    }

    /// The only sampled value of a 1.6 MeterValues whose sampled value is `sampledValue` (JSON object text).
    static func value16(
        _ sampledValue: String, policy: SanitizerPolicy = .lenient
    ) throws -> (SampledValue, NormalizedCall) {
        let json = #"{"connectorId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":["#
            + sampledValue + "]}]}"
        return try onlyValue(normalized(.v16, "MeterValues", json, policy: policy))
    }

    /// The only sampled value of a 2.0.1 MeterValues whose sampled value is `sampledValue` (JSON object text).
    static func value201(
        _ sampledValue: String, policy: SanitizerPolicy = .lenient
    ) throws -> (SampledValue, NormalizedCall) {
        let json = #"{"evseId":1,"meterValue":[{"timestamp":"2026-11-24T10:00:00Z","sampledValue":["#
            + sampledValue + "]}]}"
        return try onlyValue(normalized(.v201, "MeterValues", json, policy: policy))
    }

    /// The single sampled value of a MeterValues result.
    private static func onlyValue(_ result: NormalizedCall) throws -> (SampledValue, NormalizedCall) {
        guard result.events.count == 1, case .meterValues(let report) = result.events[0] else {
            Issue.record("expected one meterValues event, got \(result.events)")
            throw NormalizationError(path: "", message: "no meter values")
        }
        let value = try #require(report.samples.first?.values.first)
        return (value, result)
    }

    /// The path of the first sampled value's `value` in a MeterValues payload.
    static let valuePath = "$.meterValue[0].sampledValue[0].value"

    /// 2026-11-24T10:00:00Z in milliseconds since 1970.
    static let tenOClock: Int64 = 1_795_514_400_000
}

/// Thrown when a test meets an event of the wrong kind.
struct NormalizerUnexpected: Error {}

extension String {
    /// This string with every `target` replaced (Foundation-free for the tests).
    func normalizerReplacing(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
