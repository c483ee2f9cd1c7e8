import Foundation

/// The designed two-layer model that needs no files (`--model builtin`).
public struct BuiltinFamily: ModelFamily {
    /// The registry finds it by this name when `ModelLocator` chose no folder.
    public static let familyName = "builtin"

    public init() {}

    public var name: String { Self.familyName }

    public func load(_ location: ModelLocation) throws -> EncoderModel {
        BuiltinModel.make()
    }
}
