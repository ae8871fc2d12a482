// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "medallion-warehouse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "warehouse", targets: ["WarehouseCLI"]),
        .library(name: "Warehouse", targets: ["Warehouse"]),
        .library(name: "Pipeline", targets: ["Pipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // C libraries the product is built on.
        // SQLite itself, compiled in (see Sources/CSQLite/include/CSQLite.h): optimised even in
        // debug builds, as the tests spend much of their time in it.
        .target(name: "CSQLite", cSettings: [
            .define("SQLITE_DEFAULT_MEMSTATUS", to: "0"),
            .define("SQLITE_THREADSAFE", to: "1"),
            .define("SQLITE_ENABLE_MATH_FUNCTIONS"),
            .define("SQLITE_ENABLE_COLUMN_METADATA"),
            .define("SQLITE_MAX_VARIABLE_NUMBER", to: "250000"),
            .define("SQLITE_USE_URI", to: "1"),
            .define("SQLITE_OMIT_LOAD_EXTENSION"),
            .unsafeFlags(["-O2", "-w"]),
        ]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy"),
        .systemLibrary(name: "CPostgres", path: "Sources/CPostgres"),
        .systemLibrary(name: "CSSL", path: "Sources/CSSL"),

        // The on-disk contract and the asset graph. Depends on no layer.
        .target(
            name: "Warehouse",
            dependencies: ["CSQLite", "CZlib", "CCrypto", "CZstd", "CSnappy", .product(name: "Logging", package: "swift-log")]
        ),
        // HTTP over libcurl with retries: what the API fetchers and the bucket clients send requests with.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // Layers: each imports Warehouse only; they meet on disk.
        .target(name: "Bronze", dependencies: ["Warehouse", "HTTPClient"]),
        .target(name: "Silver", dependencies: ["Warehouse"], resources: [.embedInCode("Reference")]),
        .target(name: "Gold", dependencies: ["Warehouse"], resources: [.embedInCode("SQL")]),
        // The team's shared raw cache: the raw layer in an S3 or GCS bucket (SigV4, OAuth2 JWT).
        .target(name: "Bucket", dependencies: ["Warehouse", "HTTPClient", "CCrypto"]),
        // `warehouse publish`: silver and gold tables and the run results copied into PostgreSQL (libpq).
        .target(name: "Publisher", dependencies: ["Warehouse", "CPostgres"]),
        // RFC 6455 framing and a blocking ws:// and wss:// (OpenSSL) client: the emulator serves streams with it, the collector reads them.
        .target(name: "WebSocket", dependencies: ["Warehouse", "CCrypto", "CSSL"]),
        // The deterministic market simulation served over loopback HTTP and WebSocket.
        .target(name: "MarketEmulator", dependencies: ["Warehouse", "WebSocket"]),
        // `warehouse collect`: exchange WebSocket streams (and REST polls, clock probes) into stream segments in the raw layer.
        .target(name: "Collector", dependencies: ["Warehouse", "WebSocket", "HTTPClient"]),
        // `warehouse stage export`: the last N hours of exchange ticks from silver into one file plus its run metadata.
        .target(name: "Staging", dependencies: ["Warehouse"]),
        // The product wired for a root: every layer's assets in one graph, the sources (the
        // emulator or the real APIs) handed to builds at run time. The CLI and the server use it.
        .target(name: "Pipeline", dependencies: ["Warehouse", "Bronze", "Silver", "Gold", "MarketEmulator", "Bucket", "Publisher", "Collector"]),
        // `warehouse serve`: the HTTP API under /api/v1 and the dashboard, read-only SQLite underneath.
        .target(name: "Server", dependencies: [
            "Warehouse", "Pipeline", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ], resources: [.embedInCode("OpenAPI")]),
        // `warehouse schedule run`: the jobs of warehouse.toml started on time, one at a time per root.
        .target(name: "Scheduler", dependencies: ["Warehouse", "Pipeline"]),
        // The `warehouse` command.
        .executableTarget(
            name: "WarehouseCLI",
            dependencies: [
                "Warehouse", "Bronze", "Silver", "Gold", "MarketEmulator", "Pipeline", "Server", "Scheduler", "Bucket", "Publisher", "Collector", "Staging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Temporary warehouse roots, a running emulator, the CLI binary: shared by the test targets.
        .target(name: "WarehouseTestSupport", dependencies: ["Warehouse", "MarketEmulator"]),

        .testTarget(name: "WarehouseTests", dependencies: ["Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "BronzeTests", dependencies: ["Bronze", "HTTPClient", "Warehouse", "WarehouseTestSupport", "MarketEmulator"]),
        .testTarget(name: "BucketTests", dependencies: ["Bucket", "Warehouse", "WarehouseTestSupport"], resources: [.copy("Vectors")]),
        .testTarget(name: "SilverTests", dependencies: ["Silver", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "GoldTests", dependencies: ["Gold", "Silver", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "EmulatorTests", dependencies: ["MarketEmulator", "Bronze", "HTTPClient", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "CollectorTests", dependencies: ["Collector", "WebSocket", "MarketEmulator", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Warehouse", "WarehouseTestSupport", "MarketEmulator", "Bucket"]),
        .testTarget(name: "StagingTests", dependencies: ["Staging", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "PublisherTests", dependencies: ["Publisher", "Pipeline", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Pipeline", "Warehouse", "WarehouseTestSupport"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Pipeline", "Warehouse", "WarehouseTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
