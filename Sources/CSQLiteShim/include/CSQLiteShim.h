#ifndef CSQLITESHIM_H
#define CSQLITESHIM_H

/// SQLite's process-wide settings, made before SQLite initializes (sqlite3_config is variadic,
/// which Swift cannot call, and refused once SQLite has started):
/// - memory statistics off (SQLITE_CONFIG_MEMSTATUS = 0): with them on, every allocation and free
///   inside SQLite takes a process-wide mutex to keep counters nobody reads;
/// - URI file names on for every connection (SQLITE_CONFIG_URI = 1, as Debian's build has
///   already): GRDB opens without SQLITE_OPEN_URI, and a read-only open of a quiescent database
///   names `immutable=1` in its URI;
/// - SQLite's own allocator wrapped so that freed 1 KB statement-journal chunks are kept for
///   reuse (see CSQLiteShim.c).
/// Returns SQLITE_OK, or the first failure (SQLITE_MISUSE when SQLite had already started: then
/// its defaults stay — slower, nothing else).
int sinergi_sqlite_configure(void);

/// How many statement-journal chunks were served from freed ones since the process started.
long long sinergi_sqlite_reused_chunks(void);

#endif
