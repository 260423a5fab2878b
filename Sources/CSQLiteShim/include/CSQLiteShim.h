#ifndef CSQLITESHIM_H
#define CSQLITESHIM_H

/// SQLite's process-wide settings, made before SQLite initializes (sqlite3_config is variadic,
/// which Swift cannot call, and refused once SQLite has started):
/// - memory statistics off (SQLITE_CONFIG_MEMSTATUS = 0): with them on, every allocation and free
///   inside SQLite takes a process-wide mutex to keep counters nobody reads;
/// - URI file names on for every connection (SQLITE_CONFIG_URI = 1, as Debian's build has
///   already): GRDB opens without SQLITE_OPEN_URI, and a read-only open of a quiescent database
///   names `immutable=1` in its URI;
/// - SQLite's own allocator wrapped so that freed blocks of up to 1 KB (statement-journal chunks,
///   cursors, registers: Debian's build has no lookaside allocator) are kept per thread for reuse,
///   at most 5 MB a thread (see CSQLiteShim.c).
/// Returns SQLITE_OK, or the first failure (SQLITE_MISUSE when SQLite had already started: then
/// its defaults stay — slower, nothing else).
int sinergi_sqlite_configure(void);

/// How many statement-journal chunks were served from freed ones since the process started.
long long sinergi_sqlite_reused_chunks(void);

/// How many bytes of freed blocks the calling thread keeps for reuse (at most 5 MB).
long sinergi_sqlite_kept_bytes(void);

#endif
