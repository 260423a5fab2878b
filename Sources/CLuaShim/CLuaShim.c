// The C logic of the host, kept to what must be C: the stopping hook and its arming (it must
// raise the error from inside the VM, and be armed from a signal handler), the trampoline (it
// must raise after Swift has returned), and the traceback handler (it may fail with no Swift
// frame under it).
#include "CLuaShim.h"
#include "internal.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <signal.h>

static sinergi_host_entry host_entry = NULL;

void sinergi_set_host_entry(sinergi_host_entry entry) { host_entry = entry; }

int64_t sinergi_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/// Swift pushed an error object and returned -1: raise it here, with no Swift frame in between.
int sinergi_trampoline(lua_State *L) {
    void *box = lua_touserdata(L, lua_upvalueindex(1));
    int n = host_entry(L, box);
    if (n < 0) return lua_error(L);
    return n;
}

/// Remembers where the run was when it was stopped, for the `error[timeout]: WHERE:` line: the
/// innermost frame of script code, skipping C functions and the sandbox prelude.
void sinergi_note_where(lua_State *L, sinergi_budget *b) {
    lua_Debug ar;
    if (b->where[0] != '\0') return;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && strcmp(ar.short_src, SINERGI_PRELUDE_CHUNK) != 0) {
            snprintf(b->where, sizeof b->where, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
}

const char *sinergi_kill_message(int kill) {
    switch (kill) {
    case SINERGI_KILL_TIMEOUT: return "script ran past its time budget";
    case SINERGI_KILL_MEMORY: return "script passed its memory cap";
    default: return "script interrupted";
    }
}

/// The stopping hook, armed only once a run must stop (or on a coroutine past the tracking
/// depth): raises the kill on every instruction of every armed thread, so pcall, coroutines and
/// close handlers cannot absorb it.
void sinergi_budget_hook(lua_State *L, lua_Debug *ar) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b == NULL) return;
    if (b->kill == SINERGI_KILL_NONE && b->deadline_ns != 0 && sinergi_now_ns() >= b->deadline_ns) {
        b->kill = SINERGI_KILL_TIMEOUT;
    }
    if (b->kill == SINERGI_KILL_NONE) return;
    (void)ar;
    sinergi_note_where(L, b);
    lua_sethook(L, sinergi_budget_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "%s", sinergi_kill_message(b->kill));
}

/// The budget whose run is in progress on this OS thread, for the poke signal's handler.
static __thread sinergi_budget *current_budget = NULL;

void sinergi_run_begin(sinergi_budget *b, lua_State *L) {
    b->runs++;
    b->running[0] = L;
    b->running_count = 1;
    b->vm_thread = pthread_self();
    b->outer = current_budget;
    current_budget = b;
    lua_sethook(L, NULL, 0, 0);
    sigset_t poke;
    sigemptyset(&poke);
    sigaddset(&poke, SIGURG);
    pthread_sigmask(SIG_UNBLOCK, &poke, &b->outer_mask);
    b->active = 1;
}

int sinergi_run_serial(lua_State *L) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    lua_pushinteger(L, b ? (lua_Integer)b->runs : 0);
    return 1;
}

void sinergi_run_end(sinergi_budget *b) {
    b->active = 0;
    b->running_count = 0;
    current_budget = b->outer;
    b->outer = NULL;
    pthread_sigmask(SIG_SETMASK, &b->outer_mask, NULL);
}

void sinergi_arm(sinergi_budget *b) {
    int count = b->running_count;
    for (int i = 0; i < count; i++) lua_sethook(b->running[i], sinergi_budget_hook, LUA_MASKCOUNT, 1);
}

int sinergi_enter(sinergi_budget *b, lua_State *co) {
    int index = b->running_count;
    if (index >= SINERGI_MAX_RUNNING) {
        /* Too deep to track: this coroutine polls its budget with a count hook instead. */
        lua_sethook(co, sinergi_budget_hook, LUA_MASKCOUNT, 1000);
        return -1;
    }
    /* Armed if the run must stop; otherwise hook-free, even if an earlier, stopped run left
       this coroutine armed (the REPL keeps coroutines across inputs). */
    if (b->kill != SINERGI_KILL_NONE) lua_sethook(co, sinergi_budget_hook, LUA_MASKCOUNT, 1);
    else lua_sethook(co, NULL, 0, 0);
    b->running[index] = co;
    /* The poke handler runs on this thread: the entry must be written before it is counted. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    b->running_count = index + 1;
    return index;
}

void sinergi_leave(sinergi_budget *b, int index) {
    if (index < 0) return;
    b->running_count = index;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    b->running[index] = NULL;
}

void sinergi_note_where_running(sinergi_budget *b) {
    int count = b->running_count;
    if (count > 0) sinergi_note_where(b->running[count - 1], b);
}

void sinergi_kill_memory(lua_State *L) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b == NULL) return;
    if (b->kill == SINERGI_KILL_NONE) b->kill = SINERGI_KILL_MEMORY;
    sinergi_note_where(L, b);
    sinergi_arm(b);
}

int sinergi_budget_check(lua_State *L) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b == NULL) return SINERGI_KILL_NONE;
    if (b->kill == SINERGI_KILL_NONE && b->deadline_ns != 0 && sinergi_now_ns() >= b->deadline_ns) {
        b->kill = SINERGI_KILL_TIMEOUT;
    }
    if (b->kill != SINERGI_KILL_NONE) {
        sinergi_note_where(L, b);
        sinergi_arm(b);
    }
    return b->kill;
}

/// The poke signal's handler, on the VM's thread: arms the hook if the run must stop. Uses only
/// async-signal-safe work (a clock read, field writes, lua_sethook as lua.c does).
static void on_poke(int signal) {
    (void)signal;
    sinergi_budget *b = current_budget;
    if (b == NULL || !b->active) return;
    if (b->kill == SINERGI_KILL_NONE && b->deadline_ns != 0 && sinergi_now_ns() >= b->deadline_ns) {
        b->kill = SINERGI_KILL_TIMEOUT;
    }
    if (b->kill != SINERGI_KILL_NONE) sinergi_arm(b);
}

void sinergi_install_poke_handler(void) {
    static int installed = 0;
    if (installed) return;
    installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_poke;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGURG, &action, NULL);
}

void sinergi_poke(sinergi_budget *b) {
    if (b->active) pthread_kill(b->vm_thread, SIGURG);
}

int sinergi_msgh(lua_State *L) {
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, SINERGI_TRACEBACK_KEY);
    return 1;
}

void sinergi_interrupt(sinergi_budget *b) {
    int none = SINERGI_KILL_NONE;
    __atomic_compare_exchange_n((int *)&b->kill, &none, SINERGI_KILL_INTERRUPT, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    sinergi_poke(b);
}
