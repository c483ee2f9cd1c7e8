// swift-tools-version:6.0
import PackageDescription

/// The attention kernels are compiled for the CPU that builds them (without it SIMD lanes turn
/// into `fmaf` calls, ~100x slower) and optimised even in debug builds, where `-Onone` makes
/// them ~700x slower and the parity tests on real models would take minutes (ARCHITECTURE.md).
let hostCPU: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native", "-O"]),
]

let package = Package(
    name: "Maskscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "maskscope", targets: ["maskscope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .target(name: "Tokenizers"),
        .target(
            name: "AttentionCore",
            dependencies: ["Tokenizers"],
            swiftSettings: hostCPU
        ),
        .target(
            name: "ExplorerUI",
            dependencies: ["AttentionCore", "TOMLKit"]
        ),
        .systemLibrary(
            name: "CNCursesW",
            path: "Sources/CNCursesW",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "Terminal",
            // AttentionCore for its one MonotonicClock (key timing).
            dependencies: ["CNCursesW", "ExplorerUI", "AttentionCore"]
        ),
        .executableTarget(
            name: "maskscope",
            dependencies: [
                "AttentionCore", "Tokenizers", "ExplorerUI", "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TokenizersTests",
            dependencies: ["Tokenizers"]
        ),
        .testTarget(
            name: "AttentionCoreTests",
            dependencies: ["AttentionCore", "Tokenizers"],
            swiftSettings: hostCPU
        ),
        .testTarget(
            name: "ExplorerUITests",
            dependencies: ["ExplorerUI", "AttentionCore"],
            // Styled golden screens, read by path from the source tree (StyledGolden.directory).
            exclude: ["Goldens"]
        ),
        .testTarget(
            name: "MaskscopeTests",
            dependencies: ["AttentionCore"],
            // The pty tests' terminal-emulator drivers, run with python3 (ExplorerPtyTests,
            // ExplorerTextEditPtyTests, LessonPresenterCommandTests).
            exclude: ["pty_explorer.py", "pty_notes.py", "pty_enter_while_recomputing.py"]
        ),
    ]
)

/// libFuzzer targets, one per parser (Fuzz/README.md). Declared only when MASKSCOPE_FUZZ is set,
/// as Fuzz/build.sh does, so `swift build` and `swift test` never see them: they are built with
/// `-sanitize=fuzzer,address` into their own scratch path, and without it they would not link.
if Context.environment["MASKSCOPE_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("SafeTensorsHeaderFuzz", ["AttentionCore"]),
        ("BertConfigFuzz", ["AttentionCore"]),
        ("VocabTxtFuzz", ["Tokenizers"]),
        ("TokenizerJSONFuzz", ["Tokenizers"]),
        ("ThemeTOMLFuzz", ["ExplorerUI"]),
        ("LessonTOMLFuzz", ["ExplorerUI"]),
        ("SessionFuzz", ["ExplorerUI"]),
        ("MaskSpecFuzz", ["AttentionCore"]),
        ("MaskPatternFuzz", ["AttentionCore", "Tokenizers"]),
        ("KeyDecoderFuzz", ["Terminal", "CNCursesW", "ExplorerUI"]),
        ("GGUFFuzz", ["AttentionCore"]),
    ]
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: target.name, dependencies: target.dependencies + ["FuzzSupport"], path: "Fuzz/Targets",
            exclude: fuzzTargets.map { "\($0.name).swift" }.filter { $0 != "\(target.name).swift" },
            sources: ["\(target.name).swift"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
