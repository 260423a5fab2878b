// The coroutine functions of the sandbox and `tostring` without addresses. In C because a
// coroutine must be on the running list for exactly the span of one `lua_resume` — no Lua error
// can be raised in between, so the entry is always removed, and the coroutine is anchored by
// this frame's stack slot while it is listed (the review's dangling-pointer class).
// Follows lcorolib.c of Lua 5.4.4 line for line where the sandbox does not differ.
#include "internal.h"
#include <stdio.h>

/* SINERGI_STOPPED_KEY: coroutines that died of a kill. Lua leaves hooks disabled on a thread
   whose error came from a hook, so their close handlers could never be stopped. */
#define STOPPED_KEY SINERGI_STOPPED_KEY

enum { COS_RUN, COS_DEAD, COS_YIELD, COS_NORM };
static const char *const statname[] = {"running", "dead", "suspended", "normal"};

static sinergi_budget *budget_of(lua_State *L) { return *sinergi_budget_slot(L); }

static void raise_if_killed(lua_State *L) {
    sinergi_budget *b = budget_of(L);
    if (b != NULL && sinergi_budget_check(L) != SINERGI_KILL_NONE) luaL_error(L, "%s", sinergi_kill_message(b->kill));
}

static lua_State *getco(lua_State *L) {
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "thread"); /* as 5.4.4 words it */
    return co;
}

/// Adds the coroutine at `index` to the stopped set. Allocation is relaxed meanwhile (the run is
/// already killed; the mark must not fail for want of memory).
static void mark_stopped(lua_State *L, int index) {
    sinergi_budget *b = budget_of(L);
    int strict = b ? b->strict : 0;
    index = lua_absindex(L, index);
    if (b) b->strict = 0;
    if (lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 4);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "k");
        lua_setfield(L, -2, "__mode");
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, STOPPED_KEY);
    }
    lua_pushvalue(L, index);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
    if (b) b->strict = strict;
}

static int was_stopped(lua_State *L, int index) {
    int stopped = 0;
    index = lua_absindex(L, index);
    if (lua_getfield(L, LUA_REGISTRYINDEX, STOPPED_KEY) == LUA_TTABLE) {
        lua_pushvalue(L, index);
        stopped = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return stopped;
}

/// lcorolib.c's auxresume with the coroutine listed while it runs. `co_index` is where `co`
/// sits on L's stack (it stays there, anchoring it, for the whole call).
static int auxresume(lua_State *L, lua_State *co, int co_index, int narg) {
    sinergi_budget *b = budget_of(L);
    int status, nres, listed;
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    listed = b ? sinergi_enter(b, co) : -1;
    status = lua_resume(co, L, narg, &nres);
    if (b) sinergi_leave(b, listed);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    if (b && b->kill != SINERGI_KILL_NONE) mark_stopped(L, co_index);
    return -1;
}

/// lua_resetthread with the coroutine listed while its close handlers run.
static int reset_listed(lua_State *L, lua_State *co, int co_index) {
    sinergi_budget *b = budget_of(L);
    int listed = b ? sinergi_enter(b, co) : -1;
    int status = lua_resetthread(co);
    if (b) sinergi_leave(b, listed);
    if (b && b->kill != SINERGI_KILL_NONE) mark_stopped(L, co_index);
    return status;
}

int sinergi_co_resume(lua_State *L) {
    lua_State *co = getco(L);
    int r;
    raise_if_killed(L);
    r = auxresume(L, co, 1, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

static int auxwrap(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r;
    raise_if_killed(L);
    r = auxresume(L, co, lua_upvalueindex(1), lua_gettop(L));
    if (r < 0) {
        int stat = lua_status(co);
        sinergi_budget *b = budget_of(L);
        if (b && b->kill != SINERGI_KILL_NONE) return lua_error(L);
        if (stat != LUA_OK && stat != LUA_YIELD && !was_stopped(L, lua_upvalueindex(1))) {
            stat = reset_listed(L, co, lua_upvalueindex(1));
            lua_xmove(co, L, 1);
        }
        if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
            luaL_where(L, 1);
            lua_insert(L, -2);
            lua_concat(L, 2);
        }
        return lua_error(L);
    }
    return r;
}

int sinergi_co_wrap(lua_State *L) {
    lua_State *NL;
    luaL_checktype(L, 1, LUA_TFUNCTION);
    NL = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, NL, 1);
    lua_pushcclosure(L, auxwrap, 1);
    return 1;
}

static int auxstatus(lua_State *L, lua_State *co) {
    if (L == co) return COS_RUN;
    switch (lua_status(co)) {
    case LUA_YIELD:
        return COS_YIELD;
    case LUA_OK: {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) return COS_NORM;
        return lua_gettop(co) == 0 ? COS_DEAD : COS_YIELD;
    }
    default:
        return COS_DEAD;
    }
}

int sinergi_co_close(lua_State *L) {
    lua_State *co = getco(L);
    int status = auxstatus(L, co);
    raise_if_killed(L);
    switch (status) {
    case COS_DEAD:
    case COS_YIELD:
        if (was_stopped(L, 1)) {
            lua_pushboolean(L, 0);
            lua_pushliteral(L, "coroutine was stopped by the sandbox; its close handlers do not run");
            return 2;
        }
        status = reset_listed(L, co, 1);
        if (status == LUA_OK) {
            lua_pushboolean(L, 1);
            return 1;
        }
        lua_pushboolean(L, 0);
        lua_xmove(co, L, 1);
        return 2;
    default:
        return luaL_error(L, "cannot close a %s coroutine", statname[status]);
    }
}

int sinergi_co_check(lua_State *L) {
    raise_if_killed(L);
    return 0;
}

// ---- addresses made opaque: SipHash-2-4 of the pointer under the state's random key ----

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                     \
    do {                                                                             \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                    \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                       \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                       \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                    \
    } while (0)

static uint64_t siphash8(const uint64_t key[2], uint64_t m) {
    uint64_t v0 = 0x736f6d6570736575ULL ^ key[0], v1 = 0x646f72616e646f6dULL ^ key[1];
    uint64_t v2 = 0x6c7967656e657261ULL ^ key[0], v3 = 0x7465646279746573ULL ^ key[1];
    const uint64_t last = ((uint64_t)8) << 56;
    v3 ^= m; SIPROUND; SIPROUND; v0 ^= m;
    v3 ^= last; SIPROUND; SIPROUND; v0 ^= last;
    v2 ^= 0xff; SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t sinergi_opaque_id(lua_State *L, int index) {
    const void *pointer = lua_topointer(L, index);
    sinergi_budget *b = budget_of(L);
    if (pointer == NULL || b == NULL) return 0;
    /* 56 bits: as wide as a user-space address prints, and a collision between two live
       objects is out of reach. */
    return siphash8(b->opaque_key, (uint64_t)(uintptr_t)pointer) >> 8;
}

int sinergi_safe_tostring(lua_State *L) {
    luaL_checkany(L, 1);
    if (luaL_callmeta(L, 1, "__tostring")) {
        if (!lua_isstring(L, -1)) return luaL_error(L, "'__tostring' must return a string");
        return 1;
    }
    switch (lua_type(L, 1)) {
    case LUA_TNUMBER:
    case LUA_TSTRING:
    case LUA_TBOOLEAN:
    case LUA_TNIL:
        luaL_tolstring(L, 1, NULL);
        return 1;
    default: {
        char id[32];
        int named = luaL_getmetafield(L, 1, "__name");
        const char *kind = named == LUA_TSTRING ? lua_tostring(L, -1) : luaL_typename(L, 1);
        snprintf(id, sizeof id, "0x%014llx", (unsigned long long)sinergi_opaque_id(L, 1));
        lua_pushfstring(L, "%s: %s", kind, id);
        if (named != LUA_TNIL) lua_remove(L, -2);
        return 1;
    }
    }
}

int sinergi_opaque(lua_State *L) {
    luaL_checkany(L, 1);
    if (lua_topointer(L, 1) == NULL) {
        lua_pushliteral(L, "(null)");
    } else {
        char id[32];
        snprintf(id, sizeof id, "0x%014llx", (unsigned long long)sinergi_opaque_id(L, 1));
        lua_pushstring(L, id);
    }
    return 1;
}
