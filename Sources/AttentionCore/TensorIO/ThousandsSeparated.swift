/// `9012` → `"9,012"`: byte counts and offsets in error messages, grouped so a reader can
/// compare them at a glance. Locale-independent on purpose, so messages are the same everywhere.
public func thousandsSeparated<N: BinaryInteger>(_ value: N) -> String {
    let digits = String(value.magnitude)
    var grouped = ""
    for (index, digit) in digits.enumerated() {
        if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    return value < 0 ? "-" + grouped : grouped
}
