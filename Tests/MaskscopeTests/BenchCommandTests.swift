import Foundation
import Testing

/// `maskscope bench` as a user runs it. Only the output's shape is checked: timings vary by
/// machine and load, so no test asserts on them.
@Suite("maskscope bench")
struct BenchCommandTests {
    @Test("JSON names the model, the peak per thread count, and one result per length × threads")
    func jsonKeys() throws {
        let run = try MaskscopeBinary.run(
            ["bench", "--model", "builtin", "--lengths", "8,12", "--threads", "1", "--repeats", "3",
             "--latency-length", "12", "--latency-repeats", "5", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json, "stdout is not a JSON object: \(run.output.prefix(200))")
        #expect(json["model"] as? String == "builtin")
        for key in ["machine", "cores", "kernel", "load_ms", "first_attention_ms", "flop_formula"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(((json["peak_rss_mb"] as? NSNumber)?.doubleValue ?? 0) > 1, "peak resident memory in MB")
        #expect((json["load_average"] as? [Any])?.count == 3)
        for key in ["peak_gflops", "fma_peak_gflops"] {
            let peaks = try #require(json[key] as? [String: Any], "missing \(key)")
            #expect(Array(peaks.keys) == ["1"])
            #expect(((peaks["1"] as? NSNumber)?.doubleValue ?? 0) > 0)
        }
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.map { $0["length"] as? Int } == [8, 12])
        for result in results {
            #expect(result["threads"] as? Int == 1)
            #expect(result["repeats"] as? Int == 3)
            for key in ["median_ms", "p90_ms", "gflops", "peak_gflops", "percent_of_peak", "percent_of_fma_peak"] {
                let value = try #require((result[key] as? NSNumber)?.doubleValue, "missing \(key)")
                #expect(value > 0, "\(key) = \(value)")
            }
        }
        // Engine latency per thread count, and key to screen through the explorer's loop, for
        // the first and last layer each.
        for (key, count) in [("explorer_latency", 2), ("explorer_screen_latency", 2)] {
            let latencies = try #require(json[key] as? [[String: Any]], "missing \(key)")
            #expect(latencies.count == count, "\(key): \(latencies)")
            #expect(latencies.map { $0["layer"] as? Int } == [0, 1], "the built-in model has 2 layers")
            for latency in latencies {
                #expect(latency["length"] as? Int == 12, "--latency-length")
                #expect((latency["median_ms"] as? NSNumber)?.doubleValue ?? 0 > 0)
                #expect((latency["p95_ms"] as? NSNumber)?.doubleValue ?? 0 > 0)
                // The screen's latency also says what the first edit of a fresh explorer cost.
                #expect((latency["first_edit_ms"] != nil) == (key == "explorer_screen_latency"))
            }
        }
    }

    @Test("a decoder's bench counts grouped-query attention, SwiGLU and the causal mask's pairs")
    func decoder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama/tiny-llama").path
        let run = try MaskscopeBinary.run(
            ["bench", "--model", folder, "--lengths", "8", "--threads", "1", "--repeats", "2",
             "--latency-length", "8", "--latency-repeats", "2", "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try #require(run.json, "stdout is not a JSON object: \(run.output.prefix(200))")
        let formula = try #require(json["flop_formula"] as? String)
        #expect(formula.contains("L(L+1)/2") && formula.contains("6·L·"), "\(formula)")
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == 1 && ((results.first?["gflops"] as? NSNumber)?.doubleValue ?? 0) > 0)
        // A decoder's engine latency is timed on the middle token and on the first (the worst
        // case, when nothing before the edit can be reused), for each shown layer.
        let latencies = try #require(json["explorer_latency"] as? [[String: Any]])
        #expect(latencies.map { $0["edited_token"] as? Int } == [4, 0, 4, 0], "\(latencies)")
        #expect(latencies.map { $0["layer"] as? Int } == [0, 0, 1, 1], "\(latencies)")
    }

    @Test("table output has a row per length and thread count")
    func table() throws {
        let run = try MaskscopeBinary.run(["bench", "--model", "builtin", "--lengths", "8", "--threads", "1,2", "--repeats", "2"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.output.hasPrefix("model: builtin"))
        let rows = run.output.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("8 ") }
        #expect(rows.count == 2, "\(run.output)")
    }

    @Test("lengths the model cannot take, and non-numbers, are usage errors (exit 64)",
          arguments: [["--lengths", "1"], ["--lengths", "513"], ["--lengths", "8,x"], ["--threads", "0"], ["--repeats", "0"]])
    func usageErrors(arguments: [String]) throws {
        let run = try MaskscopeBinary.run(["bench", "--model", "builtin", "--format", "json"] + arguments)
        #expect(run.status == 64, "\(arguments): \(run.standardError)")
        #expect(run.standardError.contains("Error:"))
        #expect(run.output.isEmpty)
    }
}
