import Foundation
import Testing
@testable import AttentionCore

@Suite("Result buffer recycling")
struct ResultBufferTests {
    @Test("a released buffer serves the next request of its size, not a much smaller one")
    func reuse() {
        let recycler = ResultBufferRecycler(limitBytes: 1 << 20)
        var first: ResultBuffer? = .uninitialized(count: 10_000, recycler: recycler)
        let address = first?.base
        first = nil
        #expect(recycler.idleFloats >= 10_000)
        let second = ResultBuffer.uninitialized(count: 9_000, recycler: recycler)
        #expect(second.base == address)
        #expect(second.count == 9_000)
        #expect(recycler.idleFloats == 0)

        var large: ResultBuffer? = .uninitialized(count: 50_000, recycler: recycler)
        let largeAddress = large?.base
        large = nil
        let small = ResultBuffer.uninitialized(count: 1_000, recycler: recycler)
        #expect(small.base != largeAddress, "a buffer over twice the request is not lent")
        #expect(recycler.idleFloats == 0, "a request nothing fits frees the idle buffers")
    }

    @Test("the recycler holds at most its limit")
    func limit() {
        let recycler = ResultBufferRecycler(limitBytes: 100_000 * 4)
        var buffers: [ResultBuffer] = (0..<3).map { _ in .uninitialized(count: 40_000, recycler: recycler) }
        buffers.removeAll()
        #expect(recycler.idleFloats == 80_000)
        _ = ResultBuffer.uninitialized(count: 200_000, recycler: recycler)
        #expect(recycler.idleFloats == 0, "nothing fitted the request, so the idle buffers were freed")
        _ = ResultBuffer.uninitialized(count: 200_000, recycler: recycler)
        #expect(recycler.idleFloats == 0, "a buffer over the limit is freed, not kept")
    }

    /// Waits (at most 30 s, for a loaded CI machine) for the background spares of a fresh size.
    func waitForIdle(_ recycler: ResultBufferRecycler, floats: Int) {
        let deadline = Date().addingTimeInterval(30)
        while recycler.idleFloats < floats, Date() < deadline { usleep(1_000) }
    }

    @Test("warm spares and idle buffers share the limit: a pass's released layers never push it over")
    func sparesShareTheLimit() {
        let recycler = ResultBufferRecycler(limitBytes: 1_000_000 * 4, warmSpares: 2)
        var other: ResultBuffer?
        do {
            // Four 150,000-float layers, asking for no spares (no background work races the test).
            let pass: [ResultBuffer] = (0..<4).map { _ in .uninitialized(count: 150_000, recycler: recycler, spares: 0) }
            #expect(recycler.idleFloats == 0)
            // A new size (the text changed): four pre-faulted spares of it, made in the background.
            other = ResultBuffer.uninitialized(count: 140_000, recycler: recycler, spares: 4)
            waitForIdle(recycler, floats: 560_000)
            #expect(recycler.idleFloats == 560_000)
            withExtendedLifetime(pass) {}
        }
        // The spares hold 560,000 of the 1,000,000: two of the four released layers fit beside them.
        #expect(recycler.idleFloats == 860_000, "the old layers were let in only as far as the limit allows")
        withExtendedLifetime(other) {}
    }

    @Test("recomputes on recycled memory give the same maps as fresh ones")
    func recomputeOnRecycledMemory() throws {
        let model = BuiltinModel.make()
        let input = try model.prepare(try model.encode("The quick brown fox jumps over the lazy dog."))
        let ones = AttentionBias(keyMask: [Float](repeating: 1, count: input.encoding.count), semantics: .hf)
        var masked = [Float](repeating: 1, count: input.encoding.count)
        masked[2] = 0
        let partly = AttentionBias(keyMask: masked, semantics: .hf)
        let first = try #require(model.forward(input, bias: ones))
        let expected = Array(first.attention.weights)
        for _ in 0..<3 {
            _ = model.forward(input, bias: partly)
            let again = try #require(model.forward(input, bias: ones))
            #expect(Array(again.attention.weights) == expected)
        }
    }
}
