// CLuaShim: what Swift cannot import from lua.h (macros, variadics), plus the two pieces of C
// logic the host needs: the count hook that enforces a run's budget, and the trampoline that
// raises a Lua error only after the Swift host function has returned (no longjmp over Swift).
// May import: CLua. Nothing else.
#ifndef SINERGI_CLUASHIM_H
#define SINERGI_CLUASHIM_H

#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <stdint.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>

/// Why a run was stopped by the host. Set by the hook, the allocator, a resume check, or an
/// interrupt; once set it stays set ("sticky") until the host resets it between runs.
enum {
    SINERGI_KILL_NONE = 0,
    SINERGI_KILL_TIMEOUT = 1,
    SINERGI_KILL_MEMORY = 2,
    SINERGI_KILL_INTERRUPT = 3,
};

/// Names shared by the C and Swift halves of the host (one definition each; Swift imports them).
/// The chunk name of the sandbox prelude and LuaKit's own helper chunks: frames from it are
/// skipped when locating errors.
#define SINERGI_PRELUDE_CHUNK "[sinergi]"
/// Registry key of the traceback the message handler saves for the failing protected call.
#define SINERGI_TRACEBACK_KEY "sinergi.traceback"
/// Registry key of the compiled `function(t, k) return t[k] end` (indexing with metamethods).
#define SINERGI_INDEXER_KEY "sinergi.indexer"
/// Registry key of the weak set of coroutines that died of a kill.
#define SINERGI_STOPPED_KEY "sinergi.stopped"

/// How many threads (the main one and nested coroutine resumes) one run may have executing at
/// once and still be stopped asynchronously; Lua's own C-stack limit (200) is below it.
#define SINERGI_MAX_RUNNING 256

/// The budget of one Lua state. Owned by Swift (LuaKit's LuaBudget); the state's extra space
/// points at it so the hook finds it from any coroutine.
///
/// No hook runs while a run is within budget, so Lua executes at full speed. When the run must
/// stop — its deadline passes (a timer pokes the VM's thread with a signal), Ctrl-C, or the
/// memory cap — the hook is armed on every thread the run has executing, exactly as lua.c arms
/// it from its SIGINT handler, and it then raises the error inside the VM on every instruction.
typedef struct sinergi_budget {
    size_t used;              ///< bytes currently allocated by the state
    size_t peak;              ///< high-water mark of `used`
    size_t limit;             ///< cap on `used`; 0 means none
    int64_t deadline_ns;      ///< CLOCK_MONOTONIC deadline; 0 means none
    int strict;               ///< 1 while Lua code runs: growth past `limit` fails; 0 while Swift
                              ///< runs, so a Swift frame never sees an allocation error (it only
                              ///< marks the kill, which the hook raises at the next instruction)
    volatile int kill;        ///< one of SINERGI_KILL_*
    size_t host_objects;      ///< bytes of Swift objects Lua holds (boxed userdata); count against `limit`
    size_t host_transient;    ///< bytes a host call is building on the script's behalf (a gsub result, a
                              ///< converted table); count against `limit` until the call returns
    uint64_t opaque_key[2];   ///< random key of the keyed hash that stands in for addresses (tostring, %p)
    void *refused_block;      ///< the last request refused over the cap, so the allocator knows
    size_t refused_size;      ///< Lua's retry after its emergency collection (see budgetAllocator)
    void *reserve;            ///< memory held back for Swift's pushes: freed when malloc fails while
                              ///< Swift runs, so that push still succeeds (and the run is killed)
    char where[256];          ///< "chunk:line" where the kill was first noticed, or ""
    /// Threads executing now, outermost first. An entry exists only while the C function that
    /// resumes (or closes) it is on the C stack, with the coroutine in that function's stack
    /// slot: every entry is anchored, and it is removed before that function can return or raise.
    lua_State *running[SINERGI_MAX_RUNNING];
    volatile int running_count;
    volatile int active;      ///< a run is in progress on `vm_thread`
    pthread_t vm_thread;      ///< the OS thread running Lua code for this run
    struct sinergi_budget *outer; ///< the budget active on this OS thread before this run
    long long runs;           ///< outermost runs begun on this budget: the current one's identity
    sigset_t outer_mask;      ///< this thread's signal mask before the run (dispatch and Swift
                              ///< concurrency threads block signals; the poke must get through)
} sinergi_budget;

/// Starts a run of `L` on the calling OS thread: no hook armed, `L` the only running thread.
void sinergi_run_begin(sinergi_budget *b, lua_State *L);

/// Ends the run started by `sinergi_run_begin`.
void sinergi_run_end(sinergi_budget *b);

/// Arms the stopping hook on every running thread (called on the VM's own thread only).
void sinergi_arm(sinergi_budget *b);

/// Asks the VM's thread to check its budget now: sends it a signal whose handler arms the hook
/// when the deadline has passed or a kill is set. Safe from any thread and from signal handlers.
void sinergi_poke(sinergi_budget *b);

/// Installs the handler of the poke signal (SIGURG) once per process.
void sinergi_install_poke_handler(void);

/// Swift's half of a host call: runs the Swift function boxed at `box`. Returns the number of
/// results it pushed, or -1 after pushing an error object (the trampoline then raises it).
typedef int (*sinergi_host_entry)(lua_State *L, void *box);

/// Installs the one Swift entry point every trampoline calls. Called once, before any state.
void sinergi_set_host_entry(sinergi_host_entry entry);

/// The lua_CFunction behind every Swift host function; upvalue 1 is the boxed function (light
/// userdata), upvalue 2 the userdata that keeps it alive.
int sinergi_trampoline(lua_State *L);

/// Checks the budget now (on coroutine resume, and by host functions that found the run over its
/// cap); arms the hook when the run must stop. Returns the kill code, 0 if within budget.
int sinergi_budget_check(lua_State *L);

/// Message handler for protected calls: keeps the error object as it is (never calls its
/// __tostring) and stores a traceback in the registry under SINERGI_TRACEBACK_KEY. In C because it
/// may itself fail (out of memory) and must not have Swift frames under it when it does.
int sinergi_msgh(lua_State *L);

/// Asks the run to stop (Ctrl-C): sets the kill flag atomically and pokes the VM's thread, whose
/// signal handler arms the hook; the error is raised inside the VM. Safe from any thread and
/// from signal handlers.
void sinergi_interrupt(sinergi_budget *b);

/// Bytes the run holds against its cap: Lua's own plus what the host holds for it.
static inline size_t sinergi_budget_total(const sinergi_budget *b) {
    return b->used + b->host_objects + b->host_transient;
}

/// Marks the run as over its memory cap and arms the stop (on the VM's thread).
void sinergi_kill_memory(lua_State *L);
/// Records where the innermost running thread is, for the kill's `error[…]: WHERE:` line, when
/// the allocator refuses growth past the cap: Lua raises that refusal (LUA_ERRMEM) at once,
/// without a message handler or a hook to note it. Lua keeps each frame's saved position current
/// before anything that can allocate, so the frames read as in an error message.
void sinergi_note_where_running(sinergi_budget *b);

/// `coroutine.resume`, `coroutine.wrap`, `coroutine.close` and `coroutine.status` of Lua 5.4.4
/// (lcorolib.c), with the budget: the deadline is checked before every resume, the coroutine is
/// on the running list for exactly the duration of `lua_resume` (which never raises), and close
/// handlers never run once a run was stopped (Lua would run them with hooks off).
int sinergi_co_resume(lua_State *L);
int sinergi_co_wrap(lua_State *L);
int sinergi_co_close(lua_State *L);

/// `table.insert`, `table.remove` and `table.move` of Lua 5.4.4 (ltablib.c), checking the budget
/// while they loop: with a `__len` that lies, or a huge range, the loop would otherwise never end.
int sinergi_table_insert(lua_State *L);
int sinergi_table_remove(lua_State *L);
int sinergi_table_move(lua_State *L);
/// The sandbox's wrappers of stock C functions: each checks what the sandbox must, then calls
/// stock's function (its upvalue 1) in its own frame, so errors read and are located as stock's.
/// `table.sort` without a comparator gets one that checks the budget (strings compare in C, where
/// no hook fires); `string.rep` refuses a result past what is left of the memory cap;
/// `string.format` prints opaque numbers instead of addresses for `%p` and `%s` of references.
int sinergi_table_sort(lua_State *L);
int sinergi_string_rep(lua_State *L);
int sinergi_string_format(lua_State *L);
/// Pushes `wrapper` as a C closure over stock's `library.name` (the real global library table's,
/// before the prelude replaces it). Called while the state is set up, before any script.
void sinergi_push_over_stock(lua_State *L, const char *library, const char *name, lua_CFunction wrapper);
/// `os.time` and `os.date` behind a gate: pops the gate (a function that raises when the clock
/// may not be read) from the top and pushes stock's `library.name` as a C closure that calls the
/// gate, then stock's function in its own frame. Called while the state is set up.
void sinergi_push_gated_stock(lua_State *L, const char *library, const char *name);
int sinergi_os_gated(lua_State *L);

/// Raises the run's kill, if any, as an error (the sandbox's `xpcall` calls it between steps).
int sinergi_co_check(lua_State *L);

/// The identity of the run in progress (`runs`): what the prelude's `require` marks the modules
/// it is loading with, so that a mark a killed run could not clear (its close handlers are
/// killed too) is not taken for a cycle by a later run of the same state (the REPL's next input).
int sinergi_run_serial(lua_State *L);

/// `tostring` without addresses: values with `__tostring` as in Lua; tables, functions, threads
/// and userdata as `table: 0x…` where the number is a keyed hash of the address — stable for an
/// object while it lives, distinct between live objects, and useless for finding memory.
int sinergi_safe_tostring(lua_State *L);

/// `string.format("%p")`'s value: the opaque number as `0x…`, or `(null)` for values without an address.
int sinergi_opaque(lua_State *L);

/// The opaque number that stands for the address of the value at `index` (0 for values without one).
uint64_t sinergi_opaque_id(lua_State *L, int index);

/// Monotonic clock in nanoseconds, the clock deadlines are written in.
int64_t sinergi_now_ns(void);

/// Sets the run's deadline (0: none). Atomic: the deadline timer reads it from its own thread.
static inline void sinergi_set_deadline(sinergi_budget *b, int64_t deadline_ns) {
    __atomic_store_n(&b->deadline_ns, deadline_ns, __ATOMIC_RELEASE);
}

/// How many nanoseconds the active run has left before its deadline (negative once it is past),
/// or INT64_MAX when no run is active or it has no deadline; from any thread (the deadline timer).
static inline int64_t sinergi_time_left_ns(const sinergi_budget *b) {
    if (!b->active) return INT64_MAX;
    int64_t deadline = __atomic_load_n(&b->deadline_ns, __ATOMIC_ACQUIRE);
    return deadline == 0 ? INT64_MAX : deadline - sinergi_now_ns();
}

/// The budget pointer kept in the state's extra space (lua_getextraspace).
static inline sinergi_budget **sinergi_budget_slot(lua_State *L) {
    return (sinergi_budget **)lua_getextraspace(L);
}

// ---- one wrapper per macro Swift cannot import ----


/// LUA_REGISTRYINDEX
static inline int sinergi_registryindex(void) { return LUA_REGISTRYINDEX; }
/// lua_upvalueindex(i)
static inline int sinergi_upvalueindex(int i) { return lua_upvalueindex(i); }
/// lua_pop(L, n)
static inline void sinergi_pop(lua_State *L, int n) { lua_pop(L, n); }
/// lua_newtable(L)
static inline void sinergi_newtable(lua_State *L) { lua_newtable(L); }
/// lua_pcall(L, nargs, nresults, msgh)
static inline int sinergi_pcall(lua_State *L, int nargs, int nresults, int msgh) {
    return lua_pcall(L, nargs, nresults, msgh);
}
/// lua_tostring(L, i) without the length
static inline const char *sinergi_tostring(lua_State *L, int i) { return lua_tostring(L, i); }
/// lua_insert(L, i)
static inline void sinergi_insert(lua_State *L, int i) { lua_insert(L, i); }
/// lua_remove(L, i)
static inline void sinergi_remove(lua_State *L, int i) { lua_remove(L, i); }
/// lua_replace(L, i)
static inline void sinergi_replace(lua_State *L, int i) { lua_replace(L, i); }
/// lua_pushglobaltable(L)
static inline void sinergi_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
/// lua_newuserdata(L, size): one user value slot
static inline void *sinergi_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
/// luaL_getmetatable(L, name)
static inline int sinergi_getmetatable_named(lua_State *L, const char *name) { return luaL_getmetatable(L, name); }
/// luaL_loadbuffer(L, buf, size, name) with an explicit mode ("t": text only, never binary chunks)
static inline int sinergi_loadtext(lua_State *L, const char *buf, size_t size, const char *name) {
    return luaL_loadbufferx(L, buf, size, name, "t");
}
/// lua_pushcclosure(L, sinergi_trampoline, 2 + extra): the boxed function's two upvalues, then
/// `extra` values the function reads with lua_upvalueindex(3…), are on the stack
static inline void sinergi_pushtrampoline(lua_State *L, int extra) { lua_pushcclosure(L, sinergi_trampoline, 2 + extra); }
/// lua_gc(L, LUA_GCCOLLECT) (lua_gc is variadic)
static inline void sinergi_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
/// lua_gc(L, LUA_GCGEN, 0, 0): generational collection (lua_gc is variadic)
static inline void sinergi_gc_generational(lua_State *L) { lua_gc(L, LUA_GCGEN, 0, 0); }
/// lua_isnoneornil(L, i)
static inline int sinergi_isnoneornil(lua_State *L, int i) { return lua_isnoneornil(L, i); }

#endif
