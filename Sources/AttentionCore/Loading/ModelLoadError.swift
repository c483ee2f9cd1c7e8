import Foundation

/// Why a BERT checkpoint folder (config.json + model.safetensors) could not be loaded.
///
/// Problems inside model.safetensors itself (truncation, bad header) are `SafeTensorsError`s;
/// these are the problems of the folder, of config.json and of the tensors BERT needs.
public enum ModelLoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The folder given does not exist or is not a folder.
    case folderMissing(folder: URL)
    /// The folder lacks a file the loader needs; `present` lists what it does hold, to spot typos.
    case fileMissing(folder: URL, file: String, present: [String])
    /// config.json does not exist.
    case configMissing(file: URL)
    /// config.json exists but could not be read.
    case configUnreadable(file: URL, reason: String)
    /// config.json is not JSON; `detail` carries the line and column of the fault.
    case configNotJSON(file: URL, detail: String)
    /// A key BERT needs is absent.
    case configKeyMissing(file: URL, key: String)
    /// A key holds the wrong JSON type (e.g. `"hidden_size": "384"`).
    case configKeyWrongType(file: URL, key: String, expected: String)
    /// A key's value is well typed but unusable (non-positive size, unsupported activation, ...).
    case configInvalidValue(file: URL, key: String, problem: String)
    /// A tensor BERT needs is absent; `lookedFor` lists every name tried, in order.
    case tensorMissing(file: URL, lookedFor: [String])
    /// A tensor's shape disagrees with config.json; `meaning` spells the expected shape in config keys.
    case tensorShapeMismatch(file: URL, tensor: String, shape: [Int], expected: [Int], meaning: String)
    /// config.json names an architecture no family reads (or none at all); `found` says what it
    /// names, `supported` lists each family with the names it answers to.
    case architectureUnsupported(file: URL, found: String, supported: [String])
    /// config.json's sizes need more weights than model.safetensors holds: refused before
    /// anything of that size is allocated. `sizes` lists the keys and values at play.
    case configExceedsWeights(file: URL, sizes: String, neededBytes: String, weightsFile: URL, weightsBytes: Int)
    /// A weight is NaN or ±∞: every activation it touches would be too.
    case nonFiniteWeight(file: URL, tensor: String, index: Int, value: Float)
    /// A file the loader needs is a symbolic link whose target does not exist.
    case danglingLink(file: URL, target: String)

    public var description: String {
        switch self {
        case let .folderMissing(folder):
            return "\(folder.path): no such folder; expected a model folder holding config.json and model.safetensors"
        case let .fileMissing(folder, file, present):
            let holds = present.isEmpty ? "it is empty" : "it holds " + present.joined(separator: ", ")
            var advice = ""
            if file == "model.safetensors", present.contains(where: { $0.hasSuffix(".bin") }) {
                advice = "; PyTorch .bin checkpoints are not read, save the model with safetensors (save_pretrained(..., safe_serialization=True))"
            }
            let alternative = file == "model.safetensors" ? " (nor a sharded model.safetensors.index.json)" : ""
            return "\(folder.path): no \(file)\(alternative) in the model folder (\(holds))\(advice)"
        case let .configMissing(file):
            return "\(file.path): no such file; a model folder needs the config.json written by save_pretrained"
        case let .configUnreadable(file, reason):
            return "\(file.path): cannot read: \(reason)"
        case let .configNotJSON(file, detail):
            return "\(file.lastPathComponent): not valid JSON: \(detail)"
        case let .configKeyMissing(file, key):
            return "\(file.lastPathComponent): missing key '\(key)', which a BERT config needs"
        case let .configKeyWrongType(file, key, expected):
            return "\(file.lastPathComponent): '\(key)' should be \(expected)"
        case let .configInvalidValue(file, key, problem):
            return "\(file.lastPathComponent): '\(key)' \(problem)"
        case let .tensorMissing(file, lookedFor):
            let names = lookedFor.map { "'\($0)'" }.joined(separator: " or ")
            return "\(file.lastPathComponent): missing tensor \(names)"
        case let .tensorShapeMismatch(file, tensor, shape, expected, meaning):
            return "\(file.lastPathComponent): tensor '\(tensor)' has shape \(shape), but config.json implies \(expected) (\(meaning))"
        case let .architectureUnsupported(file, found, supported):
            return "\(file.path): \(found) is not an architecture Maskscope runs. Supported: \(supported.joined(separator: "; ")). Use --model builtin or a checkpoint of a supported family"
        case let .configExceedsWeights(file, sizes, neededBytes, weightsFile, weightsBytes):
            return "\(file.path): its sizes (\(sizes)) need at least \(neededBytes) bytes of weights, but \(weightsFile.lastPathComponent) holds only \(weightsBytes) bytes of tensors; config.json does not belong to these weights, fix it"
        case let .nonFiniteWeight(file, tensor, index, value):
            return "\(file.lastPathComponent): tensor '\(tensor)' holds \(value) at element \(index); weights must be finite numbers (the checkpoint is damaged or overflowed when it was saved), so every attention weight it touches would be meaningless"
        case let .danglingLink(file, target):
            return "\(file.path) is a symbolic link to \(target), which does not exist; fix or replace the link"
        }
    }
}
