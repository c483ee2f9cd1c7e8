/// A one-line text editor for the sentence (`e`): the cursor starts at the end; ←/→,
/// Home/End, Backspace/Delete and Ctrl-U edit; the explorer applies the text on Enter.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Insertion point, `0...characters.count`.
    public private(set) var cursor: Int
    /// Why the last Enter was refused (empty text, too long), shown under the line.
    public var error: String?

    public init(text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    public mutating func insert(_ character: Character) {
        characters.insert(character, at: cursor)
        cursor += 1
        error = nil
    }

    public mutating func moveLeft() { cursor = max(0, cursor - 1) }
    public mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    public mutating func moveHome() { cursor = 0 }
    public mutating func moveEnd() { cursor = characters.count }

    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
        error = nil
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
        error = nil
    }

    /// Ctrl-U: deletes everything before the cursor, as in a shell.
    public mutating func deleteToStart() {
        characters.removeFirst(cursor)
        cursor = 0
        error = nil
    }
}
