#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AttentionCore
import Foundation

/// One length × thread-count measurement of `maskscope bench`.
struct BenchResult {
    let length: Int
    let threads: Int
    let repeats: Int
    let medianMs: Double
    let p90Ms: Double
    let gflops: Double
    /// The matrix-multiply peak measured with the same thread count (the higher of the
    /// measurements before and after the timed runs).
    let peakGflops: Double
    /// The register-only FMA ceiling with the same thread count, likewise.
    let fmaPeakGflops: Double
    /// The same recompute with the last hidden state too.
    let hiddenMedianMs: Double
    let hiddenP90Ms: Double

    var percentOfPeak: Double { peakGflops > 0 ? 100 * gflops / peakGflops : 0 }
    var percentOfFMAPeak: Double { fmaPeakGflops > 0 ? 100 * gflops / fmaPeakGflops : 0 }
}

/// Mask change to the shown layer's attention, as the explorer publishes it.
struct LatencyResult {
    let length: Int
    let threads: Int
    /// The layer on screen, 0-based.
    let layer: Int
    /// The token whose mask value the timed edits change, 0-based.
    let editedToken: Int
    let repeats: Int
    let medianMs: Double
    let p95Ms: Double
    /// The first key of a freshly opened explorer (screen latency only).
    var firstEditMs: Double? = nil
}

/// Everything `maskscope bench` prints.
struct BenchReport {
    let model: String
    let machine: String
    let cores: Int
    let kernel: String
    let loadMs: Double
    let firstAttentionMs: Double
    /// The process's resident-memory high-water mark, MB (10⁶ bytes).
    let peakResidentMB: Double
    /// 1, 5 and 15 minute load averages when the report was made.
    let loadAverage: [Double]
    let flopFormula: String
    /// Thread count → GFLOP/s.
    let peaks: [Int: Double]
    /// Thread count → GFLOP/s of register-only fused multiply-adds: the hardware's ceiling.
    let arithmeticPeaks: [Int: Double]
    let results: [BenchResult]
    /// Engine only: mask change to the shown layer's attention being published.
    let latencies: [LatencyResult]
    /// Through the explorer's loop: mask key read to the frame showing that attention.
    let screenLatencies: [LatencyResult]

    func writeJSON() throws {
        var json = JSONOutput()
        try json.beginObject()
        try json.key("model"); try json.string(model)
        try json.key("machine"); try json.string(machine)
        try json.key("cores"); try json.int(cores)
        try json.key("kernel"); try json.string(kernel)
        try json.key("load_ms"); try json.float(Float(loadMs))
        try json.key("first_attention_ms"); try json.float(Float(firstAttentionMs))
        try json.key("peak_rss_mb"); try json.float(Float(peakResidentMB))
        try json.key("load_average")
        try json.beginArray()
        for value in loadAverage { try json.float(Float(value)) }
        try json.endArray()
        try json.key("flop_formula"); try json.string(flopFormula)
        for (name, values) in [("peak_gflops", peaks), ("fma_peak_gflops", arithmeticPeaks)] {
            try json.key(name)
            try json.beginObject()
            for (threads, peak) in values.sorted(by: { $0.key < $1.key }) {
                try json.key(String(threads)); try json.float(Float(peak))
            }
            try json.endObject()
        }
        try json.key("results")
        try json.beginArray()
        for result in results {
            try json.beginObject()
            try json.key("length"); try json.int(result.length)
            try json.key("threads"); try json.int(result.threads)
            try json.key("repeats"); try json.int(result.repeats)
            try json.key("median_ms"); try json.float(Float(result.medianMs))
            try json.key("p90_ms"); try json.float(Float(result.p90Ms))
            try json.key("gflops"); try json.float(Float(result.gflops))
            try json.key("peak_gflops"); try json.float(Float(result.peakGflops))
            try json.key("percent_of_peak"); try json.float(Float(result.percentOfPeak))
            try json.key("percent_of_fma_peak"); try json.float(Float(result.percentOfFMAPeak))
            try json.key("hidden_median_ms"); try json.float(Float(result.hiddenMedianMs))
            try json.key("hidden_p90_ms"); try json.float(Float(result.hiddenP90Ms))
            try json.endObject()
        }
        try json.endArray()
        for (name, list) in [("explorer_latency", latencies), ("explorer_screen_latency", screenLatencies)] {
            try json.key(name)
            try json.beginArray()
            for latency in list {
                try json.beginObject()
                try json.key("length"); try json.int(latency.length)
                try json.key("threads"); try json.int(latency.threads)
                try json.key("layer"); try json.int(latency.layer)
                try json.key("edited_token"); try json.int(latency.editedToken)
                try json.key("repeats"); try json.int(latency.repeats)
                try json.key("median_ms"); try json.float(Float(latency.medianMs))
                try json.key("p95_ms"); try json.float(Float(latency.p95Ms))
                if let first = latency.firstEditMs { try json.key("first_edit_ms"); try json.float(Float(first)) }
                try json.endObject()
            }
            try json.endArray()
        }
        try json.endObject()
        try json.finish()
    }

    func writeTable(headline: String) throws {
        var stream = OutputStream.standardOutput
        let fixed = { (value: Double, digits: Int) in String(format: "%.\(digits)f", value) }
        try stream.append("\(headline)\n")
        try stream.append("machine: \(machine), \(cores) cores; kernel \(kernel)\n")
        try stream.append("model load \(fixed(loadMs, 1)) ms; start to first attention \(fixed(firstAttentionMs, 1)) ms; "
            + "peak resident \(fixed(peakResidentMB, 0)) MB; load average \(loadAverage.map { fixed($0, 2) }.joined(separator: " "))\n")
        try stream.append("FLOP count: \(flopFormula)\n")
        let perThreadCount = { (values: [Int: Double]) in
            values.sorted { $0.key < $1.key }
                .map { "\($0.key) thread\($0.key == 1 ? "" : "s") \(fixed($0.value, 1))" }
                .joined(separator: ", ")
        }
        try stream.append("matmul peak (GFLOP/s): \(perThreadCount(peaks))\n")
        try stream.append("FMA peak, registers only (GFLOP/s): \(perThreadCount(arithmeticPeaks))\n\n")
        try stream.append("every layer's attention after a mask change (+hidden: with the last hidden state too)\n")
        var table = TextTable([
            .init(title: "tokens", alignment: .right), .init(title: "threads", alignment: .right),
            .init(title: "median ms", alignment: .right), .init(title: "p90 ms", alignment: .right),
            .init(title: "GFLOP/s", alignment: .right), .init(title: "% of peak", alignment: .right),
            .init(title: "% of FMA", alignment: .right),
            .init(title: "+hidden median", alignment: .right), .init(title: "+hidden p90", alignment: .right),
        ])
        for result in results {
            table.add([
                String(result.length), String(result.threads), fixed(result.medianMs, 2),
                fixed(result.p90Ms, 2), fixed(result.gflops, 1), fixed(result.percentOfPeak, 0),
                fixed(result.percentOfFMAPeak, 0),
                fixed(result.hiddenMedianMs, 2), fixed(result.hiddenP90Ms, 2),
            ])
        }
        for line in table.render() { try stream.append(line + "\n") }
        let latencySections = [
            ("explorer: mask change to the shown layer's attention (engine only, not drawing)", latencies),
            ("explorer: mask key to the frame showing it (the explorer's loop and drawing at 120×40, "
                + "all but the terminal write)", screenLatencies),
        ]
        for (title, list) in latencySections where !list.isEmpty {
            try stream.append("\n\(title)\n")
            let withFirst = list.contains { $0.firstEditMs != nil }
            var latencyTable = TextTable([
                .init(title: "tokens", alignment: .right), .init(title: "threads", alignment: .right),
                .init(title: "layer", alignment: .right), .init(title: "edited token", alignment: .right),
                .init(title: "median ms", alignment: .right),
                .init(title: "p95 ms", alignment: .right),
            ] + (withFirst ? [.init(title: "first edit ms", alignment: .right), .init(title: "first / p95", alignment: .right)] : []))
            for latency in list {
                var row = [
                    String(latency.length), String(latency.threads), String(latency.layer), String(latency.editedToken),
                    fixed(latency.medianMs, 2), fixed(latency.p95Ms, 2),
                ]
                if withFirst {
                    let first = latency.firstEditMs ?? 0
                    row += [fixed(first, 2), latency.p95Ms > 0 ? fixed(first / latency.p95Ms, 2) : "-"]
                }
                latencyTable.add(row)
            }
            for line in latencyTable.render() { try stream.append(line + "\n") }
        }
        try stream.flush()
    }
}

enum BenchStatistics {
    /// The value at `fraction` (0…1) of the sorted values, nearest rank; 0 for none.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let index = Int((fraction * Double(sorted.count - 1)).rounded())
        return sorted[min(sorted.count - 1, max(0, index))]
    }
}

enum BenchMachine {
    /// The CPU's marketing name from `/proc/cpuinfo`, or "unknown CPU".
    static func cpuName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown CPU"
    }

    static func cores() -> Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The process's peak resident set so far, MB (10⁶ bytes): `ru_maxrss` is in KiB on Linux,
    /// in bytes on macOS.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Darwin)
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) / 1e6
        #else
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Double(usage.ru_maxrss) * 1024 / 1e6
        #endif
    }

    /// The 1, 5 and 15 minute load averages (`getloadavg`); empty when unavailable. Speed
    /// figures on a shared machine mean little without them.
    static func loadAverage() -> [Double] {
        var values = [Double](repeating: 0, count: 3)
        let count = getloadavg(&values, 3)
        return count > 0 ? Array(values.prefix(Int(count))) : []
    }
}

enum BenchClock {
    /// Seconds on the monotonic clock.
    static func now() -> Double { MonotonicClock.seconds() }
}
