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
            dependencies: ["ExplorerUI", "AttentionCore"]
        ),
        .testTarget(
            name: "MaskscopeTests",
            dependencies: ["AttentionCore"]
        ),
    ]
)
