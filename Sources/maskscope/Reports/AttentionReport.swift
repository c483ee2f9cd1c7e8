import AttentionCore

/// One forward pass's attention, restricted to the selected layers and heads, ready to be
/// written as JSON, CSV or a table.
struct AttentionReport {
    let model: LoadedModel
    let semantics: MaskSemantics
    let tokens: [String]
    let ids: [Int]
    let typeIDs: [Int]
    /// One mask value per token, as applied.
    let mask: [Float]
    let attention: AttentionMaps
    /// The last layer's output, `[token][hidden]`, when asked for.
    let hidden: Matrix?
    let selection: AttentionSelection
    /// Queries whose every key is masked (`soft` with all zeros): their rows are zeros.
    let queriesWithNoKeys: [Int]
    /// Queries whose every allowed key is masked: transformers makes their rows uniform over
    /// every position (future ones included, on a decoder), so they are flagged.
    let fullyMaskedQueries: [Int]
    /// The semantics' one-line meaning for this model (hf4 depends on the family).
    let semanticsSummary: String
    /// Set when the pattern widens a decoder's own causal mask (`prefix:N`): a what-if the
    /// JSON carries as `pattern_warning`, beside the line on standard error.
    let patternWarning: String?

    init(model: LoadedModel, explorer: Explorer, result: ForwardResult, selection: AttentionSelection, includeHidden: Bool) {
        self.model = model
        semantics = explorer.semantics
        tokens = explorer.tokens
        ids = explorer.encoding.ids
        typeIDs = explorer.encoding.typeIDs
        mask = explorer.mask
        attention = result.attention
        hidden = includeHidden ? result.hidden : nil
        self.selection = selection
        queriesWithNoKeys = result.queriesWithNoKeys
        fullyMaskedQueries = result.queriesWithEveryAllowedKeyMasked
        semanticsSummary = explorer.semantics.summary(for: explorer.model.description)
        patternWarning = explorer.causalWarning
    }

    var length: Int { attention.length }

    var noKeysWarning: String {
        let consequence = queriesWithNoKeys.count == length
            ? "no query has a key to attend to and every attention row is all zeros"
            : "queries " + queriesWithNoKeys.map { "\($0) (\(tokens[$0]))" }.joined(separator: ", ")
                + " have no key to attend to and their attention rows are all zeros"
        return "under --semantics \(semantics.rawValue) a mask value of 0 is a bias of −∞; every key is masked, so \(consequence) (hf would give uniform rows instead)"
    }

    /// JSON and CSV keep standard output pure data, so what a table says in its header
    /// (a default model choice, queries left with no key) goes to standard error.
    func warnOnStandardError() {
        model.noteDefaultChoiceOnStandardError()
        if !queriesWithNoKeys.isEmpty { printToStandardError("warning: \(noKeysWarning)") }
        if model.isCausal, let warning = fullyMaskedWarning { printToStandardError("warning: \(warning)") }
    }

    /// On a decoder: which query rows have every allowed key masked, and what that gives.
    var fullyMaskedWarning: String? {
        let rows = fullyMaskedQueries.filter { !queriesWithNoKeys.contains($0) }
        guard !rows.isEmpty else { return nil }
        return "queries " + rows.map { "\($0) (\(model.displayTokens([tokens[$0]])[0]))" }.joined(separator: ", ")
            + " have every key they may see masked; transformers gives such a row uniform weights over all \(length) positions, future ones included (reproduced, not meaningful attention)"
    }

    func writeJSON() throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("model"); try json.string(model.name)
        try json.key("model_reason"); try json.string(model.location.reason)
        try json.key("semantics"); try json.string(semantics.rawValue)
        try json.key("tokens"); try json.strings(tokens)
        try json.key("ids"); try json.ints(ids)
        try json.key("type_ids"); try json.ints(typeIDs)
        try json.key("mask"); try json.floats(mask)
        try json.key("layers"); try json.int(attention.layerCount)
        try json.key("heads"); try json.int(attention.headCount)
        try json.key("layer_indices"); try json.ints(selection.layers)
        try json.key("head_indices"); try json.ints(selection.heads)
        try json.key("no_keys_queries"); try json.ints(queriesWithNoKeys)
        if model.isCausal {
            try model.writeArchitectureKeys(&json, tokens: tokens)
            try json.key("fully_masked_queries"); try json.ints(fullyMaskedQueries)
            if let patternWarning { try json.key("pattern_warning"); try json.string(patternWarning) }
        }
        try json.key("attention")
        try json.beginArray()
        for layer in selection.layers {
            try json.beginArray()
            for head in selection.heads {
                try json.beginArray()
                for query in 0..<length {
                    try attention.withQueryRow(layer: layer, head: head, query: query) { try json.floats($0) }
                }
                try json.endArray()
            }
            try json.endArray()
        }
        try json.endArray()
        if let hidden {
            try json.key("hidden")
            try json.beginArray()
            for token in 0..<hidden.rows {
                try json.floats(hidden.values[token * hidden.columns ..< (token + 1) * hidden.columns])
            }
            try json.endArray()
        }
        try json.endObject()
        try json.finish()
    }
}
