/// A claim of a lesson step (`expect`), with where its text starts in the lesson file.
public struct LessonClaim: Equatable, Sendable {
    public let claim: Claim
    /// 1-based line and column of the claim's first character (nil when it could not be found,
    /// e.g. written with escapes); `line` falls back to the `expect` key's line.
    public let line: Int?
    public let column: Int?

    public init(claim: Claim, line: Int?, column: Int? = nil) {
        self.claim = claim
        self.line = line
        self.column = column
    }
}
