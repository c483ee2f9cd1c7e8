import AttentionCore

extension Lesson {
    /// How many claims the lesson's steps carry.
    public var claimCount: Int { steps.reduce(0) { $0 + $1.expect.count } }

    /// Evaluates every step's claims on that step's state as written (`stepStates(model:)`),
    /// and returns each one that fails or cannot be checked, as `--check` prints them:
    /// `file:42: step 3 (expect): weight(q=5, k=2) == 0 in every head of layer 0 — layer 0 head 7 has 0.0132`.
    public func claimProblems(states: [LessonStepState]) -> [LessonProblem] {
        var problems: [LessonProblem] = []
        for (index, step) in steps.enumerated() where !step.expect.isEmpty && states.indices.contains(index) {
            let evaluator = ClaimEvaluator(step: states[index])
            for claim in step.expect {
                let detail: String
                switch evaluator.evaluate(claim.claim) {
                case .holds: continue
                case .fails(let actual): detail = actual
                case .unusable(let reason): detail = "cannot be checked: \(reason)"
                }
                problems.append(LessonProblem(source: source, line: claim.line ?? step.line(of: "expect"), step: index + 1,
                                              key: "expect", message: "\(claim.claim.text) — \(detail)"))
            }
        }
        return problems
    }
}
