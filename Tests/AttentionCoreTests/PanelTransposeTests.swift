import Testing
@testable import AttentionCore

/// `PanelTranspose.rowsToPanel` against the plain definition: every float moved to its panel
/// place, the padding columns zero, nothing else written, for every tile width, partial panels
/// and depths that are and are not multiples of the 4 × 4 register tile.
@Suite("Panel transpose")
struct PanelTransposeTests {
    @Test(arguments: [8, 16, 32])
    func rowsLandInTheirPanelColumns(width: Int) {
        for valid in Set([1, 3, 7, 8, 9, 15, width - 1, width]).filter({ $0 <= width }).sorted() {
            for depth in [1, 5, 8, 13, 37, 144, 256] {
                let rows = (0..<valid * depth).map { Float($0) + 0.25 }
                // NaN marks a float the transpose failed to write.
                var panel = [Float](repeating: .nan, count: depth * width + 8)
                rows.withUnsafeBufferPointer { source in
                    panel.withUnsafeMutableBufferPointer { target in
                        guard let from = source.baseAddress, let to = target.baseAddress else { return }
                        PanelTranspose.rowsToPanel(from, valid: valid, depth: depth, into: to, width: width)
                    }
                }
                var wrong = 0
                for k in 0..<depth {
                    for j in 0..<width where panel[k * width + j] != (j < valid ? rows[j * depth + k] : 0) {
                        wrong += 1
                    }
                }
                #expect(wrong == 0, "width \(width), \(valid) rows, depth \(depth): \(wrong) floats misplaced")
                let pastTheBlock = panel[(depth * width)...].allSatisfy { $0.isNaN }
                #expect(pastTheBlock, "wrote past the panel block")
            }
        }
    }
}
