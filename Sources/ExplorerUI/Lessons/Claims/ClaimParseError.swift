/// Why a claim does not parse: what was expected, at which character of the claim, and a
/// close known word when the one written looks like a typo.
public struct ClaimParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based column of the offending token within the claim text.
    public let column: Int
    public let message: String

    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    public var description: String { "column \(column): \(message)" }
}
