import AttentionCore
import ExplorerUI
import Foundation

extension InspectReport {
    /// The table form: a summary block, the hyperparameters, then one row per tensor.
    func table(check: TensorSourceCheck?) -> [String] {
        var lines = ["model: \(name) (\(reason))"]
        func field(_ label: String, _ value: String) { lines.append(DisplayWidth.pad(label, toWidth: 15, alignment: .left) + value) }
        if let path { field("path", path + (byteCount.map { " (\(thousandsSeparated($0)) bytes)" } ?? "")) }
        field("format", format)
        field("architecture", (architecture ?? "(not stated)") + (displayName.map { " — \($0)" } ?? ""))
        if let tokenizer {
            let size = tokenizer.vocabularySize.map { ", \(thousandsSeparated($0)) tokens" } ?? ""
            field("tokenizer", TokenLabel.printable(tokenizer.kind + size + (tokenizer.details.isEmpty ? "" : ", " + tokenizer.details.joined(separator: ", "))))
        } else {
            field("tokenizer", "none found")
        }
        if let chatTemplate { field("chat template", "\(thousandsSeparated(chatTemplate.count)) characters") }
        field("maskscope", support.explanation)
        if let check {
            let finite = check.nonFinite.isEmpty ? "all finite" : check.nonFinite.map { "\($0.name): \(thousandsSeparated($0.count)) non-finite" }.joined(separator: ", ")
            let unreadable = check.unreadable.isEmpty ? "" : "; \(check.unreadable.count) not readable as floats"
            field("check", "\(check.tensorCount) tensors, \(thousandsSeparated(check.elementCount)) values read as floats in \(String(format: "%.3f", check.seconds)) s; \(finite)\(unreadable)")
        }
        if !hyperparameters.isEmpty {
            lines.append("")
            lines.append("hyperparameters")
            var table = TextTable([.init(title: "key", alignment: .left), .init(title: "value", alignment: .right)])
            for (key, value) in hyperparameters { table.add(["  " + key, TokenLabel.fitted(value.text, width: 60)]) }
            lines += table.render().dropFirst()
        }
        lines.append("")
        let types = typeSummary.map { "\($0.type) × \($0.count)" }.joined(separator: ", ")
        lines.append("tensors: \(tensors.count)" + (types.isEmpty ? "" : " (\(types))") + ", \(thousandsSeparated(tensors.reduce(0) { $0 + $1.byteCount })) bytes")
        if !tensors.isEmpty {
            var table = TextTable([.init(title: "  name", alignment: .left), .init(title: "shape", alignment: .left),
                                   .init(title: "type", alignment: .left), .init(title: "bytes", alignment: .right)])
            for tensor in tensors {
                let type = tensor.typeName + (tensor.isReadableAsFloat ? "" : " (unreadable)")
                table.add(["  " + TokenLabel.printable(tensor.name), tensor.shape.map(String.init).joined(separator: " × "), type, thousandsSeparated(tensor.byteCount)])
            }
            lines += table.render()
        }
        return lines
    }

    func writeJSON(check: TensorSourceCheck?) throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("model"); try json.string(name)
        try json.key("model_reason"); try json.string(reason)
        if let path { try json.key("path"); try json.string(path) }
        if let byteCount { try json.key("byte_count"); try json.int(byteCount) }
        try json.key("format"); try json.string(format)
        if let architecture { try json.key("architecture"); try json.string(architecture) }
        if let displayName { try json.key("name"); try json.string(displayName) }
        try json.key("runnable"); try json.bool(support.isRunnable)
        try json.key("support"); try json.string(support.explanation)
        try json.key("hyperparameters"); try json.beginObject()
        for (key, value) in hyperparameters {
            try json.key(key)
            switch value {
            case .int(let v): try json.int(v)
            case .number(let v): try json.float(Float(v))
            case .bool(let v): try json.bool(v)
            case .text(let v): try json.string(v)
            }
        }
        try json.endObject()
        if let tokenizer {
            try json.key("tokenizer"); try json.beginObject()
            try json.key("kind"); try json.string(tokenizer.kind)
            if let size = tokenizer.vocabularySize { try json.key("vocabulary_size"); try json.int(size) }
            try json.key("details"); try json.strings(tokenizer.details)
            try json.endObject()
        }
        if let chatTemplate { try json.key("chat_template"); try json.string(chatTemplate) }
        try json.key("tensor_types"); try json.beginArray()
        for entry in typeSummary {
            try json.beginObject()
            try json.key("type"); try json.string(entry.type)
            try json.key("count"); try json.int(entry.count)
            try json.key("byte_count"); try json.int(entry.bytes)
            try json.endObject()
        }
        try json.endArray()
        try json.key("tensors"); try json.beginArray()
        for tensor in tensors {
            try json.beginObject()
            try json.key("name"); try json.string(tensor.name)
            try json.key("shape"); try json.ints(tensor.shape)
            try json.key("type"); try json.string(tensor.typeName)
            try json.key("byte_count"); try json.int(tensor.byteCount)
            try json.key("readable"); try json.bool(tensor.isReadableAsFloat)
            try json.endObject()
        }
        try json.endArray()
        if let check {
            try json.key("check"); try json.beginObject()
            try json.key("seconds"); try json.float(Float(check.seconds))
            try json.key("tensors"); try json.int(check.tensorCount)
            try json.key("nonfinite"); try json.beginObject()
            for entry in check.nonFinite { try json.key(entry.name); try json.int(entry.count) }
            try json.endObject()
            try json.key("unreadable"); try json.strings(check.unreadable)
            try json.endObject()
        }
        try json.endObject()
        try json.finish()
    }
}
