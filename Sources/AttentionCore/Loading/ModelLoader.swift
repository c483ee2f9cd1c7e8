import Foundation

/// Loads whatever `ModelLocator` found.
public enum ModelLoader {
    public static func load(_ location: ModelLocation) throws -> EncoderModel {
        guard let folder = location.folder else { return BuiltinModel.make() }
        return try BertModel.load(folder: folder, name: location.name)
    }
}
