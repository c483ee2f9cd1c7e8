import Foundation

/// The most useful sentence in a `JSONDecoder` failure: for syntax errors the parser's own
/// message (which carries the line and column where the platform provides them), for type
/// errors the key path and the expected type.
func jsonErrorDetail(_ error: Error) -> String {
    guard let decodingError = error as? DecodingError else { return String(describing: error) }
    switch decodingError {
    case .dataCorrupted(let context):
        if let underlying = context.underlyingError as NSError?,
           let message = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return message
        }
        return context.debugDescription
    case .keyNotFound(let key, let context):
        return "missing key '\(codingPathText(context.codingPath + [key]))'"
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
        return "'\(codingPathText(context.codingPath))' should be \(jsonTypeName(type))"
    @unknown default:
        return String(describing: decodingError)
    }
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
    default: "\(type)"
    }
}
