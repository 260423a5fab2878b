import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libedit's readline-compatible API (BSD-licensed, unlike GNU readline), for the interactive
/// REPL's line editing, history and completion — loaded with `dlopen` when that REPL starts.
///
/// Not linked: a linked libedit (with libtinfo, libbsd and libmd) was loaded and relocated by
/// every run of the CLI, a cold `sinergi eval` included, for the one mode that edits lines. Now a
/// machine without libedit still runs every command, piped REPL input too; only the interactive
/// REPL needs the library, and without it it fails with `LibEdit.Unavailable`, which says what to
/// install. The handle is never closed: the REPL is the rest of the process.
///
///     let edit = try LibEdit.load()
///     if let line = edit.readline("> ") { … free(line) }
public struct LibEdit {
    /// `rl_compentry_func_t`: the next completion of a word (`state` 0 starts over), malloc'ed.
    public typealias CompletionEntry = @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>?
    /// `rl_completion_func_t`: the matches for the word between `start` and `end`, or nil.
    public typealias Completion = @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    /// libedit's name to load: Debian's (and most distributions') soname, macOS's own copy.
    #if canImport(Darwin)
    public static let soname = "libedit.3.dylib"
    #else
    public static let soname = "libedit.so.2"
    #endif

    public let readline: @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    public let addHistory: @convention(c) (UnsafePointer<CChar>?) -> Int32
    public let stifleHistory: @convention(c) (Int32) -> Void
    public let readHistory: @convention(c) (UnsafePointer<CChar>?) -> Int32
    public let writeHistory: @convention(c) (UnsafePointer<CChar>?) -> Int32
    public let completionMatches: @convention(c) (UnsafePointer<CChar>?, CompletionEntry?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    /// The globals `rl_attempted_completion_function` and `rl_basic_word_break_characters`.
    private let attemptedCompletion: UnsafeMutablePointer<Completion?>
    private let wordBreaks: UnsafeMutablePointer<UnsafePointer<CChar>?>

    /// Why the interactive REPL cannot edit lines: the library or one of its functions is missing.
    public struct Unavailable: Error, CustomStringConvertible {
        public let library: String
        public let reason: String
        public var description: String {
            "the interactive REPL needs libedit (\(library)) for line editing, and it cannot be loaded (\(reason)); "
                + "install it (Debian and Ubuntu: apt install libedit2), or pipe the input instead: sinergi repl < queries.lua"
        }
    }

    /// Loads `library` (default `soname`) and looks up the functions the REPL uses.
    public static func load(_ library: String = soname) throws -> LibEdit {
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            throw Unavailable(library: library, reason: dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        func symbol<T>(_ name: String, as type: T.Type) throws -> T {
            guard let address = dlsym(handle, name) else {
                throw Unavailable(library: library, reason: "it has no \(name)")
            }
            return unsafeBitCast(address, to: type)
        }
        return LibEdit(
            readline: try symbol("readline", as: (@convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?).self),
            addHistory: try symbol("add_history", as: (@convention(c) (UnsafePointer<CChar>?) -> Int32).self),
            stifleHistory: try symbol("stifle_history", as: (@convention(c) (Int32) -> Void).self),
            readHistory: try symbol("read_history", as: (@convention(c) (UnsafePointer<CChar>?) -> Int32).self),
            writeHistory: try symbol("write_history", as: (@convention(c) (UnsafePointer<CChar>?) -> Int32).self),
            completionMatches: try symbol("rl_completion_matches",
                                          as: (@convention(c) (UnsafePointer<CChar>?, CompletionEntry?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?).self),
            attemptedCompletion: try symbol("rl_attempted_completion_function", as: UnsafeMutableRawPointer.self)
                .assumingMemoryBound(to: Completion?.self),
            wordBreaks: try symbol("rl_basic_word_break_characters", as: UnsafeMutableRawPointer.self)
                .assumingMemoryBound(to: UnsafePointer<CChar>?.self))
    }

    /// `rl_attempted_completion_function = completion`.
    public func setCompletion(_ completion: Completion?) { attemptedCompletion.pointee = completion }

    /// `rl_basic_word_break_characters = characters` (kept by libedit: pass a string that lives on).
    public func setWordBreaks(_ characters: UnsafePointer<CChar>) { wordBreaks.pointee = characters }
}
