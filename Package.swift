// swift-tools-version:6.0
// Sinergi: Kerja Sama Daerah agreements as Lua-scripted workflows in a Swift host.
// Targets follow the map in DESIGN.md; arrows point one way (see each target's first comment).
import PackageDescription

let package = Package(
    name: "Sinergi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sinergi", targets: ["sinergi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // zlib's inflate, for reading workbooks: ZIPFoundation's reader traps or reads for ever on a
        // hostile archive (see ZIPReader), so Sinergi reads ZIP containers itself.
        .systemLibrary(name: "SinergiZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // SQLite settings Swift cannot make (sqlite3_config is variadic) and the allocator they
        // install; the Store makes them once.
        .target(name: "CSQLiteShim", dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        .target(name: "LuaKit", dependencies: ["CLua", "CLuaShim"]),
        .target(name: "Agreements"),
        // Pure cron expressions (Foundation only): the Scheduler and the CLI read schedules with it.
        .target(name: "Cron"),
        .target(name: "Store", dependencies: [
            "Agreements", "CSQLiteShim",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Outbox delivery through real channels; no Lua, no GRDB (the outbox is the Store's).
        .target(name: "Notify", dependencies: ["Agreements", "Store"]),
        // Above Store nothing depends on GRDB: the store's units of work are the only way to a
        // transaction, and no database type crosses its API.
        .target(name: "ScriptHost", dependencies: [
            "LuaKit", "Agreements", "Store", "Notify", "SinergiZlib",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Above ScriptHost: definitions are Lua run with the scripts' API; the CLI wires it in.
        .target(name: "Workflow", dependencies: [
            "ScriptHost", "LuaKit", "Agreements", "Store",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Scheduler knows no Lua: fires reach scripts through its FireHandler protocol (the CLI's).
        .target(name: "Scheduler", dependencies: ["Cron", "Store", "Agreements"]),
        .target(name: "SinergiBenchmarks", dependencies: ["CLua", "CLuaShim", "LuaKit", "Agreements", "Store", "ScriptHost", "Workflow"]),
        .executableTarget(name: "SinergiHello"),
        .executableTarget(name: "sinergi", dependencies: [
            "SinergiBenchmarks",
            "LuaKit", "Agreements", "Store", "ScriptHost", "Notify", "Workflow", "Cron", "Scheduler",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit"]),
        .testTarget(name: "AgreementsTests", dependencies: ["Agreements"]),
        .testTarget(name: "CronTests", dependencies: ["Cron"]),
        // Fixtures/ holds a database written by an older release (read from the source tree by path).
        .testTarget(name: "StoreTests", dependencies: ["Store", "Agreements", "CSQLiteShim", .product(name: "GRDBSQLite", package: "GRDB.swift")],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ScriptHostTests", dependencies: [
            "ScriptHost", "Store", "Agreements", "LuaKit",
            // To open workbooks in tests; FoundationXML (the reference reader) comes with Foundation.
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            // To set a connection's page limit (a full disk) in tests.
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "NotifyTests", dependencies: ["Notify", "Store", "Agreements"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "ScriptHost", "Store", "Agreements", "LuaKit"]),
        .testTarget(name: "SchedulerTests", dependencies: ["Scheduler", "Cron", "Store", "Agreements"]),
        .testTarget(name: "SinergiCLITests", dependencies: ["sinergi"]),
    ],
    swiftLanguageModes: [.v6]
)
