/// The Hugging Face hub moved its oldest models under organisations (`gpt2` became
/// `openai-community/gpt2`, `roberta-base` became `FacebookAI/roberta-base`). The hub redirects
/// either name, but its cache keeps the folder of the name the download used, so a cache may
/// hold a model under either. `names(for:)` lists both, the name asked for first.
enum HubIdAliases {
    /// Organisation of each legacy short id, as the hub lists it today.
    private static let organisations: [String: String] = {
        var table: [String: String] = [:]
        for id in ["bert-base-uncased", "bert-base-cased", "bert-large-uncased", "bert-large-cased",
                   "bert-base-multilingual-cased", "bert-base-multilingual-uncased", "bert-base-chinese"] {
            table[id] = "google-bert"
        }
        for id in ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"] { table[id] = "openai-community" }
        for id in ["distilgpt2", "distilbert-base-uncased", "distilbert-base-cased",
                   "distilbert-base-multilingual-cased", "distilroberta-base"] {
            table[id] = "distilbert"
        }
        for id in ["roberta-base", "roberta-large", "xlm-roberta-base", "xlm-roberta-large"] { table[id] = "FacebookAI" }
        return table
    }()

    /// `id` and its other name, if it has one: `gpt2` → [`gpt2`, `openai-community/gpt2`],
    /// `openai-community/gpt2` → [`openai-community/gpt2`, `gpt2`]. Case-sensitive, as the cache's folders are.
    static func names(for id: String) -> [String] {
        if let organisation = organisations[id] { return [id, "\(organisation)/\(id)"] }
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 2, organisations[String(parts[1])] == String(parts[0]) { return [id, String(parts[1])] }
        return [id]
    }
}
