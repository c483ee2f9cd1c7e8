import Foundation

/// Why `model.safetensors.index.json`, the map of a sharded checkpoint, cannot be used.
/// Problems inside one shard are that shard's `SafeTensorsError`s.
public enum SafeTensorsIndexError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The index could not be read, or is larger than any real index.
    case unreadable(file: URL, reason: String)
    /// Not JSON; `detail` has the line and column.
    case notJSON(file: URL, detail: String)
    /// No `weight_map` object of tensor name → shard file name.
    case noWeightMap(file: URL)
    /// A `weight_map` entry is not a string naming a file beside the index.
    case badShardName(file: URL, tensor: String, shard: String)
    /// A shard the index names is not in the folder.
    case shardMissing(file: URL, shard: String, tensors: Int)
    /// The index puts a tensor in a shard that does not hold it.
    case tensorNotInShard(file: URL, tensor: String, shard: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file.path): cannot read the sharded checkpoint's index: \(reason)"
        case let .notJSON(file, detail):
            return "\(file.path): not JSON (\(detail)); re-download the checkpoint's model.safetensors.index.json"
        case let .noWeightMap(file):
            return "\(file.path): no \"weight_map\" object (tensor name → shard file); this is not a transformers safetensors index"
        case let .badShardName(file, tensor, shard):
            return "\(file.path): weight_map[\"\(tensor)\"] is \(shard.isEmpty ? "not a file name" : "'\(shard)'"); shards must be .safetensors files in the index's own folder"
        case let .shardMissing(file, shard, tensors):
            return "\(file.path) puts \(tensors) tensor\(tensors == 1 ? "" : "s") in \(shard), which is not in \(file.deletingLastPathComponent().path); download every shard of the checkpoint"
        case let .tensorNotInShard(file, tensor, shard):
            return "\(file.path) puts tensor '\(tensor)' in \(shard), which does not hold it; the index and the shards come from different downloads"
        }
    }
}
