import CNCursesW

/// Color pairs allocated on demand, each (foreground, background) once, so a frame never
/// calls `init_extended_pair` per cell. Colors are ncurses color numbers (-1 = the terminal's
/// default, 0xRRGGBB on direct-color terminals).
struct ColorPairCache {
    struct Key: Hashable {
        var foreground: Int32
        var background: Int32
    }

    private var pairs: [Key: Int32] = [:]
    private var nextPair: Int32 = 1
    /// Pairs 1..<capacity are ours; pair 0 is the terminal default and cannot be changed.
    private let capacity: Int32

    init(colorPairs: Int) {
        capacity = Int32(clamping: colorPairs)
    }

    /// The pair for these colors, allocating it if new; nil when every pair is taken (the
    /// caller then clears the cache and repaints everything, since redefining pairs changes
    /// cells already on screen). Colors ncurses refuses fall back to pair 0, remembered so
    /// they are not retried every frame.
    mutating func pair(foreground: Int32, background: Int32) -> Int32? {
        if foreground == -1 && background == -1 { return 0 }
        let key = Key(foreground: foreground, background: background)
        if let pair = pairs[key] { return pair }
        guard nextPair < capacity else { return nil }
        guard init_extended_pair(nextPair, foreground, background) == OK else {
            pairs[key] = 0
            return 0
        }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    var isFull: Bool { nextPair >= capacity }

    mutating func removeAll() {
        pairs.removeAll(keepingCapacity: true)
        nextPair = 1
    }
}
