import Foundation

/// The weights of a transformers checkpoint folder, whichever way it was saved.
public enum SafeTensorsCheckpoint {
    /// `model.safetensors`, or the shards `model.safetensors.index.json` lists when the model
    /// was saved in pieces.
    /// - Throws: `ModelLoadError.fileMissing` when the folder has neither (listing what it
    ///   holds), `.danglingLink` for a cache symlink whose blob is gone; `SafeTensorsError` /
    ///   `SafeTensorsIndexError` for a damaged file.
    public static func open(folder: URL) throws -> any TensorSource {
        let single = folder.appendingPathComponent("model.safetensors")
        if FileManager.default.fileExists(atPath: single.path) { return try SafeTensorsFile(url: single) }
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        if FileManager.default.fileExists(atPath: index.path) { return try ShardedSafeTensors(index: index) }
        for file in [single, index] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: file.path) {
                throw ModelLoadError.danglingLink(file: file, target: target)
            }
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        throw ModelLoadError.fileMissing(folder: folder, file: "model.safetensors", present: present.sorted())
    }
}
