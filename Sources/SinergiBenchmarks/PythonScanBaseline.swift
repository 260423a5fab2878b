import Foundation

/// The baseline for the full Lua scan: the tool an analyst would otherwise reach for — a Python
/// script reading the same two fields of every agreement (`value`, `ends_on`) with its `sqlite3` module, on the same
/// database file, timed inside Python (interpreter start excluded, as the Lua scan's state start is).
public enum PythonScanBaseline {
    static let script = """
        import sqlite3, sys, time
        connection = sqlite3.connect(sys.argv[1])
        times = []
        for _ in range(int(sys.argv[2])):
            start = time.perf_counter()
            count = 0
            for value, ends_on in connection.execute("SELECT value, ends_on FROM agreement"):
                if value is not None and ends_on is not None:
                    count += 1
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(times[len(times) // 2], count)
        """

    /// Median milliseconds of `rounds` scans, or nil when python3 is not on the machine.
    public static func milliseconds(database: String, rounds: Int = 5) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, database, String(rounds)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.flatMap { Double($0) }
    }
}
