import AttentionCore

/// Loads a located model. Until the attention core's `ModelLoader` exists only the built-in
/// model can be loaded; this is the one place to switch over.
enum ModelLoading {
    static func load(_ location: ModelLocation) throws -> EncoderModel {
        switch location.choice {
        case .builtin:
            return BuiltinModel.make()
        default:
            throw ModelLoadingUnavailable(name: location.name)
        }
    }
}

struct ModelLoadingUnavailable: Error, CustomStringConvertible {
    let name: String
    var description: String { "loading \(name) from files is not available in this build yet; use --model builtin" }
}
