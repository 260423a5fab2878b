#ifndef CSQLITESHIM_H
#define CSQLITESHIM_H

/// Turns off SQLite's memory statistics for this process (SQLITE_CONFIG_MEMSTATUS = 0): with them
/// on, every allocation and free inside SQLite takes a process-wide mutex to keep counters nobody
/// reads. sqlite3_config is variadic, which Swift cannot call, and must run before SQLite
/// initializes: returns SQLITE_OK, or SQLITE_MISUSE when SQLite had already started (then the
/// statistics stay on: slower, nothing else).
int sinergi_sqlite_disable_memstatus(void);

/// Lets every connection take a `file:` URI as its file name (SQLITE_CONFIG_URI = 1), as Debian's
/// build does already: GRDB opens without SQLITE_OPEN_URI. Variadic too, and before SQLite
/// initializes: returns SQLITE_OK, or SQLITE_MISUSE when SQLite had already started.
int sinergi_sqlite_enable_uri_names(void);

#endif
