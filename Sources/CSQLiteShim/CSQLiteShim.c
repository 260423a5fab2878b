#include "CSQLiteShim.h"
#include <pthread.h>
#include <sqlite3.h>

/*
 * Debian builds SQLite without its lookaside allocator (SQLITE_OMIT_LOOKASIDE), so each of the
 * ≈ 400 small blocks a workflow transition's statements ask for (cursors, registers, bound
 * values) is a malloc and a free. Every savepoint also keeps a statement journal: the first
 * change to a page under it copies the page there (≈ 30 pages, 120 KB, for one transition, each
 * in its own savepoint), in chunks of 1,024 bytes (temp_store = MEMORY), all freed when the
 * savepoint ends. glibc's per-thread cache keeps only 7 blocks of a size, so most of these went
 * through malloc's general bins and back, under its arena lock: ≈ 8 % of a transition's
 * instructions. The wrapper below keeps freed blocks of up to 1,024 bytes in per-thread lists,
 * one per 16-byte size class, and hands them back to the next request of their class on the
 * same thread (no lock: a connection runs on one thread at a time, and a block freed on another
 * thread simply joins that thread's lists). Each class has its own limit — 1,024 journal chunks
 * (1 MB), 64 KB of any other size — so blocks of a size no longer asked for never crowd out the
 * chunks (at most 5 MB a thread); a thread's lists are freed when it ends. Larger blocks go to
 * SQLite's own allocator unchanged.
 */

enum {
    classStep = 16,
    smallLimit = 1024,                      /* a journal chunk: sizeof(FileChunk) + 1,016 */
    classCount = smallLimit / classStep + 1,
    chunkClass = classCount - 1,
    keptChunksLimit = 1024,
    keptClassBytesLimit = 64 << 10
};

/* How many freed blocks of each class a thread keeps (set when SQLite initializes). */
static int keptLimit[classCount];

static sqlite3_mem_methods standard;
static long long reusedChunks;          /* chunk-sized blocks served from a list, ever (atomic) */

typedef struct KeptBlock { struct KeptBlock *next; } KeptBlock;
typedef struct {
    KeptBlock *head[classCount];
    int count[classCount];
    long bytes;
    int registered;                     /* the thread-exit flush is set up */
} KeptLists;

static __thread KeptLists kept;
static pthread_key_t flushKey;
static pthread_once_t flushKeyOnce = PTHREAD_ONCE_INIT;

/* Frees every block a thread keeps (at its exit, and at sqlite3_shutdown for the caller's). */
static void flushKept(void *lists) {
    KeptLists *k = lists;
    for (int c = 0; c < classCount; c++) {
        while (k->head[c]) {
            KeptBlock *block = k->head[c];
            k->head[c] = block->next;
            standard.xFree(block);
        }
        k->count[c] = 0;
    }
    k->bytes = 0;
    /* A block freed later on this thread (a later thread-exit destructor's) registers again. */
    k->registered = 0;
}

static void makeFlushKey(void) { pthread_key_create(&flushKey, flushKept); }

static void *keepingMalloc(int bytes) {
    if (bytes <= 0 || bytes > smallLimit) return standard.xMalloc(bytes);
    int c = (bytes + classStep - 1) / classStep;
    KeptBlock *block = kept.head[c];
    if (block) {
        kept.head[c] = block->next;
        kept.count[c]--;
        kept.bytes -= c * classStep;
        if (c == chunkClass) __atomic_fetch_add(&reusedChunks, 1, __ATOMIC_RELAXED);
        return block;
    }
    /* The class's full size, so that the block serves any request of its class once freed. */
    return standard.xMalloc(c * classStep);
}

static void keepingFree(void *block) {
    if (!block) return;
    int size = standard.xSize(block);
    /* A block serves requests up to its usable size: it joins the largest class it covers. */
    int c = size / classStep;
    if (c > chunkClass) c = chunkClass;
    if (c < 1 || size > smallLimit + classStep || kept.count[c] >= keptLimit[c]) {
        standard.xFree(block);
        return;
    }
    if (!kept.registered) {
        pthread_once(&flushKeyOnce, makeFlushKey);
        if (pthread_setspecific(flushKey, &kept) != 0) {
            standard.xFree(block);
            return;
        }
        kept.registered = 1;
    }
    KeptBlock *entry = block;
    entry->next = kept.head[c];
    kept.head[c] = entry;
    kept.count[c]++;
    kept.bytes += c * classStep;
}

static void *keepingRealloc(void *block, int bytes) { return standard.xRealloc(block, bytes); }
static int keepingSize(void *block) { return standard.xSize(block); }
static int keepingRoundup(int bytes) { return standard.xRoundup(bytes); }

static int keepingInit(void *data) {
    for (int c = 1; c < classCount; c++) {
        int limit = keptClassBytesLimit / (c * classStep);
        keptLimit[c] = c == chunkClass ? keptChunksLimit : limit < 8 ? 8 : limit;
    }
    return standard.xInit(data);
}

static void keepingShutdown(void *data) {
    flushKept(&kept);
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
    return __atomic_load_n(&reusedChunks, __ATOMIC_RELAXED);
}

long sinergi_sqlite_kept_bytes(void) { return kept.bytes; }
