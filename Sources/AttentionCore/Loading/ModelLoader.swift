import Foundation

/// Loads whatever `ModelLocator` found, through the standard family registry.
public enum ModelLoader {
    public static func load(_ location: ModelLocation) throws -> EncoderModel {
        return try ModelFamilyRegistry.standard.load(location)
    }
}
