#include "CSQLiteShim.h"
#include <sqlite3.h>

int sinergi_sqlite_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sinergi_sqlite_enable_uri_names(void) {
    return sqlite3_config(SQLITE_CONFIG_URI, 1);
}
