/// One thing the user did, as the reducer sees it: a key, a mouse action or a new window size.
///
/// Backends translate their raw input into these values, so the reducer and its tests never see
/// terminal key codes. Keys that no case covers are dropped by the backend, not reported.
public enum InputEvent: Equatable, Hashable, Sendable {
    /// A printable character as typed (already decoded from UTF-8; may be CJK or an emoji).
    case character(Character)
    /// A letter typed with Ctrl held, lower-cased: Ctrl-R is `.control("r")`. Ctrl-I, Ctrl-M,
    /// Ctrl-H and Ctrl-[ are indistinguishable from `.tab`, `.enter`, `.backspace` and
    /// `.escape` on a terminal and arrive as those; Ctrl-C interrupts the program instead.
    case control(Character)
    case left, right, up, down
    case home, end, pageUp, pageDown
    case enter, escape, backspace, delete, insert
    /// Tab and Shift-Tab, for moving focus between panes.
    case tab, backTab
    /// Function key F1…F12 (`.function(1)` is F1).
    case function(Int)
    /// A mouse press, release or wheel step at a cell of the screen.
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows; the next frame must be drawn at this
    /// size and painted in full.
    case resize(width: Int, height: Int)
    /// The terminal went away (its window closed, the ssh connection dropped): nothing more
    /// can be read, so the explorer ends instead of waiting on input that never comes.
    case hangup
}

/// A mouse action at a screen cell, in columns (`x`, 0 at the left) and rows (`y`, 0 at the top).
public struct MouseEvent: Equatable, Hashable, Sendable {
    public enum Kind: Equatable, Hashable, Sendable {
        /// The primary button went down (or the terminal reported a whole click): act on it now.
        /// Backends do not wait to pair a press with its release, so there is no separate press.
        case click
        /// The primary button came up, ending a click or a drag.
        case release
        /// One wheel step away from the user (content should move down, i.e. scroll up).
        case wheelUp
        /// One wheel step towards the user.
        case wheelDown
    }

    public var x: Int
    public var y: Int
    public var kind: Kind

    public init(x: Int, y: Int, kind: Kind) {
        self.x = x
        self.y = y
        self.kind = kind
    }
}
