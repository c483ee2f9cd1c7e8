import Foundation

/// A checkpoint split over several `.safetensors` files, as transformers saves any model above
/// its shard size (5 GB by default): `model.safetensors.index.json` maps each tensor name to
/// the shard that holds it. Every shard is opened (and its header validated) up front, and
/// every tensor the index names is checked to be in its shard, so later reads cannot fail on
/// a missing file.
public final class ShardedSafeTensors: TensorSource {
    /// The index file, which names the checkpoint in messages.
    public let indexURL: URL
    /// The shards, in the order of their file names.
    public let shards: [SafeTensorsFile]
    public let tensorNames: [String]
    /// Tensor name → position in `shards`.
    private let shardOfTensor: [String: Int]

    /// Largest index accepted: a real one is tens of kilobytes even for 400B-parameter models.
    static let maximumIndexByteCount = 64 << 20

    /// - Throws: `SafeTensorsIndexError` for the index, `SafeTensorsError` for a shard.
    public init(index url: URL) throws {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= Self.maximumIndexByteCount else {
                throw SafeTensorsIndexError.unreadable(file: url, reason: "\(size) bytes, more than any index (\(Self.maximumIndexByteCount) at most)")
            }
            data = try Data(contentsOf: url)
        } catch let error as SafeTensorsIndexError {
            throw error
        } catch {
            throw SafeTensorsIndexError.unreadable(file: url, reason: error.localizedDescription)
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SafeTensorsIndexError.notJSON(file: url, detail: jsonErrorDetail(error, data: data))
        }
        guard let weightMap = (json as? [String: Any])?["weight_map"] as? [String: Any] else {
            throw SafeTensorsIndexError.noWeightMap(file: url)
        }
        var tensorsOfShard: [String: [String]] = [:]
        for (tensor, value) in weightMap {
            guard let shard = value as? String, !shard.isEmpty, !shard.contains("/"), shard != "..", shard.hasSuffix(".safetensors") else {
                throw SafeTensorsIndexError.badShardName(file: url, tensor: tensor, shard: (value as? String) ?? "")
            }
            tensorsOfShard[shard, default: []].append(tensor)
        }
        let folder = url.deletingLastPathComponent()
        var shards: [SafeTensorsFile] = []
        var shardOfTensor: [String: Int] = [:]
        var names: [String] = []
        for shardName in tensorsOfShard.keys.sorted() {
            let shardURL = folder.appendingPathComponent(shardName)
            let tensors = tensorsOfShard[shardName] ?? []
            guard FileManager.default.fileExists(atPath: shardURL.path) else {
                throw SafeTensorsIndexError.shardMissing(file: url, shard: shardName, tensors: tensors.count)
            }
            let shard = try SafeTensorsFile(url: shardURL)
            let listed = Set(tensors)
            for tensor in tensors where shard.info(tensor) == nil {
                throw SafeTensorsIndexError.tensorNotInShard(file: url, tensor: tensor, shard: shardName)
            }
            for tensor in shard.tensorNames where listed.contains(tensor) {
                shardOfTensor[tensor] = shards.count
                names.append(tensor)
            }
            shards.append(shard)
        }
        self.indexURL = url
        self.shards = shards
        self.shardOfTensor = shardOfTensor
        self.tensorNames = names
    }

    public var sourceURL: URL { indexURL }
    public var formatName: String { "safetensors, \(shards.count) shard\(shards.count == 1 ? "" : "s")" }

    public func descriptor(_ name: String) -> TensorDescriptor? {
        shardOfTensor[name].flatMap { shards[$0].descriptor(name) }
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let shard = shardOfTensor[name] else { throw SafeTensorsError.noSuchTensor(file: indexURL, tensor: name) }
        return try shards[shard].floats(name)
    }

    public func mappedFloats(_ name: String) -> MappedFloats? {
        shardOfTensor[name].flatMap { shards[$0].mappedFloats(name) }
    }
}
