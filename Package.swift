// swift-tools-version:6.1
import PackageDescription

/// Settings shared by every target: Swift 6 strict concurrency plus the upcoming features that keep
/// module boundaries honest (a dependency leaks into API only through an explicit `public import`).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Carnet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "carnet", targets: ["carnet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.5.2"..<"5.0.0"),
        // Already in the graph through jwt-kit and swift-crypto; named here to read the VIHF trust file's certificates (X509).
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.15.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // The portal's document upload: multipart/form-data parsed as it streams in (issue 19).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .target(
            name: "CarnetCore",
            dependencies: ["CarnetJSON"],
            resources: [.copy("Resources/habilitation-matrix.json")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetJSON",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetFHIR",
            dependencies: ["CarnetCore", "CarnetJSON", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetStore",
            dependencies: ["CarnetCore", "CarnetJSON", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetSQLite",
            dependencies: ["CarnetStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetPostgres",
            dependencies: [
                "CarnetStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetService",
            dependencies: ["CarnetCore", "CarnetStore", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetPortal",
            dependencies: ["CarnetCore", "CarnetService", "CarnetFHIR"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetServer",
            dependencies: [
                "CarnetService", "CarnetFHIR", "CarnetPortal", "CarnetSQLite", "CarnetPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Demo/Resources/annuaire-sante-synthetique.txt"),
                        .copy("Portal/Resources/icon-192.png"), .copy("Portal/Resources/icon-512.png")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "carnet",
            dependencies: [
                "CarnetServer", "CarnetCore", "CarnetService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "carnet-baseline",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/CarnetBaseline",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CarnetTestSupport",
            dependencies: [
                "CarnetCore", "CarnetStore", "CarnetSQLite", "CarnetPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CarnetTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CarnetCoreTests", dependencies: ["CarnetCore", "CarnetTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CarnetFHIRTests", dependencies: ["CarnetFHIR", "CarnetTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CarnetPortalTests", dependencies: ["CarnetPortal"], swiftSettings: swiftSettings),
        .testTarget(name: "CarnetJSONTests", dependencies: ["CarnetJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CarnetStoreTests",
            dependencies: ["CarnetStore", "CarnetPostgres", "CarnetTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CarnetServiceTests",
            dependencies: ["CarnetService", "CarnetTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CarnetCLITests",
            dependencies: ["carnet", "CarnetServer", "CarnetTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CarnetServerTests",
            dependencies: [
                "CarnetServer", "CarnetPortal", "CarnetTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Snapshots"],
            swiftSettings: swiftSettings
        ),
    ]
)
