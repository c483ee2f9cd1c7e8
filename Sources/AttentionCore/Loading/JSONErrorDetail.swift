import Foundation

/// The most useful sentence in a `JSONDecoder` failure: for syntax errors the parser's
/// message with the line and column of the fault, for type errors the key path and the
/// expected type.
///
/// `JSONDecoder` on Linux reports syntax errors without a position, so `data` is re-parsed
/// with `JSONSerialization`, whose message gives a character offset that is turned into a
/// line and column here.
func jsonErrorDetail(_ error: Error, data: Data) -> String {
    guard let decodingError = error as? DecodingError else { return String(describing: error) }
    switch decodingError {
    case .dataCorrupted(let context):
        if context.codingPath.isEmpty, let syntax = jsonSyntaxError(in: data) { return syntax }
        if let underlying = context.underlyingError as NSError?,
           let message = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return message
        }
        let path = codingPathText(context.codingPath)
        return path.isEmpty ? context.debugDescription : "'\(path)': \(context.debugDescription)"
    case .keyNotFound(let key, let context):
        return "missing key '\(codingPathText(context.codingPath + [key]))'"
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
        let path = codingPathText(context.codingPath)
        return path.isEmpty ? "the top level should be \(jsonTypeName(type))" : "'\(path)' should be \(jsonTypeName(type))"
    @unknown default:
        return String(describing: decodingError)
    }
}

/// The JSON syntax error in `data` as "Invalid value at line 3, column 2", or nil if it parses.
func jsonSyntaxError(in data: Data) -> String? {
    do {
        _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return nil
    } catch {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
        guard let range = message.range(of: #"around character \d+"#, options: .regularExpression),
              let offset = Int(message[range].split(separator: " ").last ?? "") else {
            return message.hasSuffix(".") ? String(message.dropLast()) : message
        }
        let (line, column) = lineAndColumn(ofByte: offset, in: data)
        return message[..<range.lowerBound].trimmingCharacters(in: .whitespaces) + " at line \(line), column \(column)"
    }
}

/// 1-based line and column of a byte offset, counting columns in bytes.
func lineAndColumn(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
    var line = 1, column = 1
    for byte in data.prefix(max(0, offset)) {
        if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
    }
    return (line, column)
}

/// `hidden_size`, `architectures[0]`: a key path as a user would point at it in the file.
func codingPathText(_ path: [CodingKey]) -> String {
    var text = ""
    for key in path {
        if let index = key.intValue {
            text += "[\(index)]"
        } else {
            text += text.isEmpty ? key.stringValue : "." + key.stringValue
        }
    }
    return text
}

/// `Int` → "an integer": Swift types as JSON users know them.
func jsonTypeName(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
    case is Double.Type, is Float.Type: "a number"
    case is String.Type: "a string"
    case is Bool.Type: "true or false"
    case is [String].Type: "a list of strings"
    default:
        String(describing: type).hasPrefix("Dictionary") ? "an object" : String(describing: type)
    }
}
