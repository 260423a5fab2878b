// The C logic of the host, kept to the two things that must be C: the count hook (it must raise
// the error from inside the VM) and the trampoline (it must raise after Swift has returned).
#include "CLuaShim.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

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
/// innermost frame of script code, skipping C functions and the sandbox prelude ("[sinergi]").
static void note_where(lua_State *L, sinergi_budget *b) {
    lua_Debug ar;
    if (b->where[0] != '\0') return;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && strcmp(ar.short_src, "[sinergi]") != 0) {
            snprintf(b->where, sizeof b->where, "%s:%d", ar.short_src, ar.currentline);
            return;
        }
    }
}

static const char *kill_message(int kill) {
    switch (kill) {
    case SINERGI_KILL_TIMEOUT: return "script ran past its time budget";
    case SINERGI_KILL_MEMORY: return "script passed its memory cap";
    default: return "script interrupted";
    }
}

/// The count hook: checks the deadline; once a run is killed, re-arms itself to fire on every
/// instruction so that pcall, xpcall, coroutines and close handlers cannot absorb the stop.
static void budget_hook(lua_State *L, lua_Debug *ar) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b == NULL) return;
    if (b->kill == SINERGI_KILL_NONE && b->deadline_ns != 0 && sinergi_now_ns() >= b->deadline_ns) {
        b->kill = SINERGI_KILL_TIMEOUT;
    }
    if (b->kill == SINERGI_KILL_NONE) return;
    (void)ar;
    note_where(L, b);
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "%s", kill_message(b->kill));
}

void sinergi_arm_hook(lua_State *L, int count) {
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, count > 0 ? count : 1000);
}

int sinergi_budget_check(lua_State *L) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b == NULL) return SINERGI_KILL_NONE;
    if (b->kill == SINERGI_KILL_NONE && b->deadline_ns != 0 && sinergi_now_ns() >= b->deadline_ns) {
        b->kill = SINERGI_KILL_TIMEOUT;
    }
    if (b->kill != SINERGI_KILL_NONE) {
        note_where(L, b);
        lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);
    }
    return b->kill;
}

int sinergi_msgh(lua_State *L) {
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "sinergi.traceback");
    return 1;
}

void sinergi_interrupt(sinergi_budget *b) {
    int none = SINERGI_KILL_NONE;
    __atomic_compare_exchange_n((int *)&b->kill, &none, SINERGI_KILL_INTERRUPT, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
