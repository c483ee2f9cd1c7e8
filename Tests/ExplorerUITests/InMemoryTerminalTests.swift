import Testing
@testable import ExplorerUI

@Suite("In-memory terminal")
struct InMemoryTerminalTests {
    @Test func replaysEventsRecordsFramesAndFollowsResizes() {
        let terminal = InMemoryTerminal(width: 20, height: 4, colorCapability: .palette8, events: [
            .character("a"), .control("r"), .resize(width: 30, height: 5),
            .mouse(MouseEvent(x: 3, y: 1, kind: .click)),
        ])
        let backend: any TerminalBackend = terminal
        #expect(backend.colorCapability == .palette8)
        #expect(backend.nextEvent(timeout: 0) == .character("a"))
        #expect(backend.nextEvent(timeout: nil) == .control("r"))
        #expect(backend.nextEvent(timeout: 10) == .resize(width: 30, height: 5))
        #expect(backend.size == (30, 5))
        #expect(backend.nextEvent(timeout: 10) == .mouse(MouseEvent(x: 3, y: 1, kind: .click)))
        #expect(backend.nextEvent(timeout: 10) == nil)

        var grid = CellGrid(width: 30, height: 5)
        grid.put("注意 mask", x: 0, y: 0)
        backend.draw(grid)
        backend.invalidate()
        backend.shutdown()
        backend.shutdown()
        #expect(terminal.drawnGrids.count == 1)
        #expect(terminal.lastGrid?.textLines.first == "注意 mask" + String(repeating: " ", count: 21))
        #expect(terminal.invalidateCount == 1)
        #expect(terminal.isShutDown)
    }
}
