/// Durations as rule files write them, for tools that read other YAML the same way (rule tests).
public enum RuleDuration {
    /// Seconds of `500ms`, `15s`, `2min` or `1h`; nil for anything else.
    public static func seconds(_ text: String) -> Double? { DecodeContext.parseDuration(text) }
}
