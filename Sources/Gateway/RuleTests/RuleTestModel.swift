import IEC104
import OCPP
import Rules

/// A rule-test file as written: the site under test and its tests.
public struct RuleTestFile: Sendable {
    /// The test file's path, as given or found.
    public var path: String
    /// The site's rule files and directories, resolved against the test file's folder.
    public var site: [String]
    /// The tests, in file order.
    public var tests: [RuleTestCase]
}

/// One test: a timeline of inputs and expected outputs run against a fresh engine.
public struct RuleTestCase: Sendable {
    /// The test's name, unique within its file.
    public var name: String
    /// Where the test was written.
    public var location: SourceLocation
    /// The clock at the start, seconds since 1970.
    public var start: EngineTime
    /// IEC outputs nobody needs to expect (file defaults first, then the test's own).
    public var ignoreIEC: [IECExpectation]
    /// OCPP calls nobody needs to expect, possibly answered at once.
    public var ignoreOCPP: [IgnoredCall]
    /// The steps, in order.
    public var steps: [TestStep]
}

/// One step of a test: what happens, when, and where it was written.
public struct TestStep: Sendable {
    /// 1-based position in the test.
    public var number: Int
    /// Where the step was written.
    public var location: SourceLocation
    /// The clock when the step runs.
    public var time: EngineTime
    /// What the step does.
    public var action: StepAction
}

/// What a step does: an input to the gateway, or a check of what came out.
public enum StepAction: Sendable {
    /// Only moves the clock (a step with just `at:` or `after:`).
    case wait
    /// A charger connects speaking `version` (nil: the charger's only version).
    case connect(ChargerReference, version: Rules.OCPPVersion?)
    /// A charger's connection closes.
    case disconnect(ChargerReference)
    /// A charger sends a CALL.
    case ocpp(IncomingMessage)
    /// SCADA sends a command.
    case command(IECCommandInput)
    /// The test answers a call the gateway sent.
    case reply(ReplyInput)
    /// The engine's periodic tick (stale values).
    case tick
    /// A general (group nil) or group interrogation; with `refresh` the engine's composite-schedule refresh runs
    /// first, as production runs it before every interrogation (it sends requests only when the site enables it).
    case interrogation(group: Int?, refresh: Bool)
    /// A counter interrogation, general (group nil) or of one counter group.
    case counterInterrogation(group: Int?)
    /// The IEC outputs since the last IEC check must be these (or include them, when partial).
    case expectIEC([IECExpectation], partial: Bool)
    /// The OCPP calls since the last OCPP check must be these (or include them, when partial).
    case expectOCPP([OCPPExpectation], partial: Bool)
    /// No IEC output since the last IEC check.
    case noIEC
    /// No OCPP call since the last OCPP check.
    case noOCPP

    /// The step's key as written, for messages.
    public var keyword: String {
        switch self {
        case .wait: "wait"
        case .connect: "connect"
        case .disconnect: "disconnect"
        case .ocpp: "ocpp"
        case .command: "iec"
        case .reply: "reply"
        case .tick: "tick"
        case .interrogation: "gi"
        case .counterInterrogation: "ci"
        case .expectIEC: "expect_iec"
        case .expectOCPP: "expect_ocpp"
        case .noIEC: "no_iec"
        case .noOCPP: "no_ocpp"
        }
    }
}

/// A charger named in a step, with where it was named (checked against the site before running).
public struct ChargerReference: Sendable {
    /// The OCPP identity.
    public var id: String
    /// Where it was written.
    public var location: SourceLocation
}

/// A point named by IOA, or by signal (with its charger and EVSE when needed).
public enum PointReference: Sendable, Hashable {
    /// An information object address.
    case ioa(Int)
    /// A signal of a charger (nil: a site point), on an EVSE when the charger has it on several.
    case signal(String, charger: String?, evse: Int?)
}

/// A CALL a charger sends in a test.
public struct IncomingMessage: Sendable {
    /// The sender.
    public var charger: ChargerReference
    /// The OCPP action.
    public var action: String
    /// The payload; strings `${now}`, `${now+5s}`, `${now-1min}` become timestamps of the test clock.
    public var payload: JSONObject
    /// The message id (default: one per step).
    public var messageID: String?
    /// Whether the central system must refuse it (with a CALLERROR), and optionally words its reason must contain.
    public var refusal: ExpectedRefusal?
}

/// A refusal a test expects for a charger's message.
public struct ExpectedRefusal: Sendable, Hashable {
    /// Words the CALLERROR's description must contain, if any.
    public var containing: String?
}

/// A command SCADA sends in a test.
public struct IECCommandInput: Sendable {
    /// The command point.
    public var point: PointReference
    /// The type (nil until resolved: the point's declared command type).
    public var type: TypeID?
    /// The value as written.
    public var value: CommandValueInput
    /// True for a select (S/E = 1).
    public var select: Bool
    /// The command as the station decodes it (nil until resolved against the type).
    public var command: Command?
}

/// A command value as written, read according to the command's type when the test runs.
public enum CommandValueInput: Sendable, Hashable {
    /// A number (set-points; a fraction for normalized ones).
    case number(Double)
    /// `true` / `false`.
    case bool(Bool)
    /// `off`, `on`, `intermediate`, `indeterminate`.
    case doublePoint(DoublePointState)
}

/// The test's answer to a call the gateway sent.
public struct ReplyInput: Sendable {
    /// Which call: its number (1-based, in the order the gateway sent calls in this test).
    public var call: Int?
    /// Or the oldest unanswered call of this charger…
    public var charger: String?
    /// …and/or of this action.
    public var action: String?
    /// The answer.
    public var outcome: ReplyOutcome
}

/// How a call is answered.
public enum ReplyOutcome: Sendable, Hashable {
    /// A CALLRESULT with this payload (`{status: X}` for the short forms); checked against the response schema.
    case result(JSONObject)
    /// A CALLERROR with this code and description.
    case callError(code: String, description: String)
    /// No answer within the call timeout.
    case timeout
    /// The connection went away before the answer.
    case disconnected
}

/// An OCPP call matched by `ignore_ocpp`: not expected by anyone, optionally answered at once.
public struct IgnoredCall: Sendable {
    /// Which calls.
    public var match: OCPPExpectation
    /// The answer given at once, if any.
    public var reply: ReplyOutcome?
}

/// What an IEC output must look like; every field left nil is not checked.
public struct IECExpectation: Sendable {
    /// Where the expectation was written.
    public var location: SourceLocation
    /// The point (an IOA once the test is resolved against its site).
    public var point: PointReference?
    /// The ASDU type.
    public var type: TypeID?
    /// The value.
    public var value: ExpectedValue?
    /// Allowed difference for numbers (default: 1e-6 relative, at least 1e-6).
    public var tolerance: Double?
    /// The exact set of quality flags.
    public var quality: QualityDescriptor?
    /// The cause of transmission.
    public var cot: Int?
    /// The time tag, milliseconds since 1970.
    public var time: Int64?
    /// Set for command confirmations: positive (true) or negative (false) ACT_CON.
    public var confirm: Bool?
    /// For confirmations: whether the confirmed command was a select.
    public var select: Bool?
    /// For negative confirmations: words the reason must contain.
    public var reason: String?
}

/// An expected point value.
public enum ExpectedValue: Sendable, Hashable {
    /// A number (measured values, counters, set-points).
    case number(Double)
    /// A single point's state.
    case bool(Bool)
    /// A double point's state.
    case doublePoint(DoublePointState)
}

/// What an OCPP call the gateway sends must look like; nil fields are not checked.
public struct OCPPExpectation: Sendable {
    /// Where the expectation was written.
    public var location: SourceLocation
    /// The call's number in the test.
    public var call: Int?
    /// The charger it goes to.
    public var charger: String?
    /// The action.
    public var action: String?
    /// Members the payload must have (recursively; arrays element by element, same length).
    public var payload: JSONObject?
}
