#include "CSQLiteShim.h"
#include <pthread.h>
#include <sqlite3.h>

/*
 * Every savepoint keeps a statement journal: the first change to a page under it copies the
 * page there (≈ 60 pages, 240 KB, for one workflow transition, each in its own savepoint). In
 * memory (temp_store = MEMORY) SQLite grows that journal in chunks of 1,024 bytes, one
 * allocation each, and frees them all when the savepoint ends. glibc's per-thread cache keeps
 * only 7 blocks of a size, so the other ≈ 230 chunks of each transition went through malloc's
 * general bins and back, with coalescing: ≈ 7 % of a transition's instructions. The wrapper
 * below keeps up to `keptLimit` freed chunks and hands them back to the next journal, and
 * passes everything else to SQLite's own allocator unchanged.
 */

/* SQLite's in-memory journal chunk: sizeof(FileChunk) + 1,016 bytes (memjournal.c). */
enum { chunkRequest = 1024, keptLimit = 1024 };

static sqlite3_mem_methods standard;
static int chunkSize;                 /* standard.xSize of a chunk-sized block */
static pthread_mutex_t keptLock = PTHREAD_MUTEX_INITIALIZER;
static void *kept[keptLimit];
static int keptCount;
static long long reusedCount;         /* chunks served from `kept`, ever */

static void *keepingMalloc(int bytes) {
    if (bytes == chunkRequest) {
        void *reused = NULL;
        pthread_mutex_lock(&keptLock);
        if (keptCount > 0) {
            reused = kept[--keptCount];
            reusedCount++;
        }
        pthread_mutex_unlock(&keptLock);
        if (reused) return reused;
    }
    return standard.xMalloc(bytes);
}

static void keepingFree(void *block) {
    /* Any block of a chunk's size will do for a chunk: a chunk asks no more than its size. */
    if (block && standard.xSize(block) == chunkSize) {
        pthread_mutex_lock(&keptLock);
        int isKept = keptCount < keptLimit;
        if (isKept) kept[keptCount++] = block;
        pthread_mutex_unlock(&keptLock);
        if (isKept) return;
    }
    standard.xFree(block);
}

static void *keepingRealloc(void *block, int bytes) { return standard.xRealloc(block, bytes); }
static int keepingSize(void *block) { return standard.xSize(block); }
static int keepingRoundup(int bytes) { return standard.xRoundup(bytes); }

static int keepingInit(void *data) {
    int status = standard.xInit(data);
    if (status != SQLITE_OK) return status;
    void *probe = standard.xMalloc(chunkRequest);
    if (!probe) return SQLITE_NOMEM;
    chunkSize = standard.xSize(probe);
    standard.xFree(probe);
    return SQLITE_OK;
}

static void keepingShutdown(void *data) {
    pthread_mutex_lock(&keptLock);
    while (keptCount > 0) standard.xFree(kept[--keptCount]);
    pthread_mutex_unlock(&keptLock);
    standard.xShutdown(data);
}

int sinergi_sqlite_configure(void) {
    int status = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (status != SQLITE_OK) return status;
    status = sqlite3_config(SQLITE_CONFIG_URI, 1);
    if (status != SQLITE_OK) return status;
    status = sqlite3_config(SQLITE_CONFIG_GETMALLOC, &standard);
    if (status != SQLITE_OK) return status;
    sqlite3_mem_methods keeping = standard;
    keeping.xMalloc = keepingMalloc;
    keeping.xFree = keepingFree;
    keeping.xRealloc = keepingRealloc;
    keeping.xSize = keepingSize;
    keeping.xRoundup = keepingRoundup;
    keeping.xInit = keepingInit;
    keeping.xShutdown = keepingShutdown;
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &keeping);
}

long long sinergi_sqlite_reused_chunks(void) {
    pthread_mutex_lock(&keptLock);
    long long count = reusedCount;
    pthread_mutex_unlock(&keptLock);
    return count;
}
