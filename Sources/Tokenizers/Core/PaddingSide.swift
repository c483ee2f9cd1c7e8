/// Where padding goes: after the text (`right`, transformers' default, what an encoder batch
/// gets) or before it (`left`, `tokenizer.padding_side = "left"`, how decoder batches are padded
/// so that every row's last position is a real token to generate from).
public enum PaddingSide: String, Sendable, Equatable, CaseIterable, Codable {
    case right, left
}
