import Foundation

extension AttentionReport {
    /// One row per weight: `layer,head,query,query_token,key,key_token,weight`, RFC 4180
    /// quoting for tokens such as `,` and `"`.
    func writeCSV() throws {
        var stream = OutputStream.standardOutput
        try stream.append("layer,head,query,query_token,key,key_token,weight\n")
        let quotedTokens = tokens.map(CSVField.quoted)
        for layer in selection.layers {
            for head in selection.heads {
                let prefix = "\(layer),\(head),"
                for query in 0..<length {
                    let queryCells = prefix + "\(query),\(quotedTokens[query]),"
                    try attention.withQueryRow(layer: layer, head: head, query: query) { row in
                        for key in 0..<length {
                            try stream.append(queryCells)
                            try stream.append("\(key),\(quotedTokens[key]),")
                            let weight = row[key]
                            if weight.isFinite { try JSONOutput.appendNumber(weight, to: &stream) }
                            try stream.append(UInt8(ascii: "\n"))
                        }
                    }
                }
            }
        }
        try stream.flush()
    }
}

/// CSV cells (RFC 4180).
enum CSVField {
    /// The field as is, or in double quotes with inner quotes doubled when it holds a comma,
    /// quote, line break, or leading/trailing space.
    static func quoted(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first == " " || field.last == " " || field.isEmpty
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
