/// A JSON value met while reading a payload, and where it is: its place in the reader's `PayloadPaths`.
struct Node {
    /// The value.
    let value: JSONValue
    /// Where it is, as the position of its last step in the reader's path table.
    let place: Int
}

/// The paths of the values a reader has met, as steps that point at their parent's step: one array entry per
/// value instead of one string, spelled out (`$.meterValue[0].sampledValue`) only when an error or a repair
/// names the place, which a well-behaved payload never makes happen.
struct PayloadPaths {
    /// One step below a parent.
    private enum Step {
        case root
        case member(StaticString)
        case element(Int)
    }

    /// The steps; the entry at a node's place holds its own step and its parent's place. Names are the
    /// normalizer's own literals, so an entry holds no reference and the table is freed without visiting them.
    private var steps: [(parent: Int, step: Step)] = []

    /// The place of the payload itself, `$`.
    static let root = 0

    /// A table with the root alone.
    init() {
        steps.reserveCapacity(64)
        steps.append((parent: Self.root, step: .root))
    }

    /// The place of the member `key` of the value at `parent`.
    mutating func member(_ key: StaticString, of parent: Int) -> Int {
        steps.append((parent: parent, step: .member(key)))
        return steps.count - 1
    }

    /// The place of element `index` of the array at `parent`.
    mutating func element(_ index: Int, of parent: Int) -> Int {
        steps.append((parent: parent, step: .element(index)))
        return steps.count - 1
    }

    /// The JSON path of `place`, e.g. `$.meterValue[0].sampledValue[2].value`.
    func text(of place: Int) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(64)
        append(place, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The JSON path of the member `key` of the value at `parent`, whether or not it is there.
    func text(ofMember key: StaticString, of parent: Int) -> String { text(of: parent) + ".\(key)" }

    /// Appends the path of `place` as UTF-8: its parent's path first, then its own step.
    private func append(_ place: Int, to text: inout [UInt8]) {
        guard steps.indices.contains(place) else { return }
        let (parent, step) = steps[place]
        switch step {
        case .root:
            text.append(UInt8(ascii: "$"))
        case let .member(key):
            // Parents always come before their children in the table, so this recursion ends at the root.
            append(parent, to: &text)
            text.append(UInt8(ascii: "."))
            key.withUTF8Buffer { text.append(contentsOf: $0) }
        case let .element(index):
            append(parent, to: &text)
            text.append(UInt8(ascii: "["))
            appendDecimal(index, to: &text)
            text.append(UInt8(ascii: "]"))
        }
    }

    /// Appends the digits of the index `value` (never negative) without making a string of it first.
    private func appendDecimal(_ value: Int, to text: inout [UInt8]) {
        let start = text.count
        var rest = value.magnitude
        repeat {
            text.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        text[start...].reverse()
    }
}
