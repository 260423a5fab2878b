// table.insert, table.remove and table.move as ltablib.c of Lua 5.4.4 has them, plus a budget
// check every 4,096 elements: the loops run in C, where the hook never fires, and their length is
// whatever `#t` (or the arguments) say — a `__len` metamethod may say math.maxinteger. And
// table.sort: stock's own C function, called in the same frame (so its errors read and are
// located as stock's), given a comparator that checks the budget when the script gives none.
#include "internal.h"

#define TAB_R 1
#define TAB_W 2
#define TAB_L 4
#define TAB_RW (TAB_R | TAB_W)
#define CHECK_EVERY 4096

static int checkfield(lua_State *L, const char *key, int n) {
    lua_pushstring(L, key);
    return (lua_rawget(L, -n) != LUA_TNIL);
}

/* ltablib.c checktab: a table, or an object with the metamethods the operation needs */
static void checktab(lua_State *L, int arg, int what) {
    if (lua_type(L, arg) != LUA_TTABLE) {
        int n = 1;
        if (lua_getmetatable(L, arg) &&
            (!(what & TAB_R) || checkfield(L, "__index", ++n)) &&
            (!(what & TAB_W) || checkfield(L, "__newindex", ++n)) &&
            (!(what & TAB_L) || checkfield(L, "__len", ++n))) {
            lua_pop(L, n);
        } else {
            luaL_checktype(L, arg, LUA_TTABLE);
        }
    }
}

static lua_Integer aux_getn(lua_State *L, int n, int w) {
    checktab(L, n, w | TAB_L);
    return luaL_len(L, n);
}

/* Raises the run's kill every CHECK_EVERY steps, if the run must stop. */
static void step(lua_State *L, lua_Integer *steps) {
    if ((++*steps & (CHECK_EVERY - 1)) == 0) {
        sinergi_budget *b = *sinergi_budget_slot(L);
        if (b != NULL && sinergi_budget_check(L) != SINERGI_KILL_NONE) luaL_error(L, "%s", sinergi_kill_message(b->kill));
    }
}

int sinergi_table_insert(lua_State *L) {
    lua_Integer pos, steps = 0;
    lua_Integer e = aux_getn(L, 1, TAB_RW);
    e = luaL_intop(+, e, 1);
    switch (lua_gettop(L)) {
    case 2:
        pos = e;
        break;
    case 3: {
        lua_Integer i;
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        for (i = e; i > pos; i--) {
            step(L, &steps);
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);
        }
        break;
    }
    default:
        return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);
    return 0;
}

int sinergi_table_remove(lua_State *L) {
    lua_Integer steps = 0;
    lua_Integer size = aux_getn(L, 1, TAB_RW);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size)
        luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");  /* 5.4.4 says #1 */
    lua_geti(L, 1, pos);
    for (; pos < size; pos++) {
        step(L, &steps);
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);
    return 1;
}

int sinergi_table_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int tt = !lua_isnoneornil(L, 5) ? 5 : 1; /* destination table */
    checktab(L, 1, TAB_R);
    checktab(L, tt, TAB_W);
    if (e >= f) { /* otherwise, nothing to move */
        lua_Integer n, i, steps = 0;
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        n = e - f + 1; /* number of elements to move */
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
            for (i = 0; i < n; i++) {
                step(L, &steps);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        } else {
            for (i = n - 1; i >= 0; i--) {
                step(L, &steps);
                lua_geti(L, 1, f + i);
                lua_seti(L, tt, t + i);
            }
        }
    }
    lua_pushvalue(L, tt); /* return destination table */
    return 1;
}

/* The comparator the sandbox gives a sort without one: strings compare in C (strcoll) where no
   hook fires, and a sort of numbers never leaves C, so each comparison checks whether the run
   must stop. It compares as stock's sort does (lua_compare, metamethods included), and as a C
   function its "attempt to compare" error carries no location, as stock's own does. */
static int budgeted_less(lua_State *L) {
    sinergi_budget *b = *sinergi_budget_slot(L);
    if (b != NULL && b->kill != SINERGI_KILL_NONE && sinergi_budget_check(L) != SINERGI_KILL_NONE)
        return luaL_error(L, "%s", sinergi_kill_message(b->kill));
    lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
    return 1;
}

int sinergi_table_sort(lua_State *L) {
    lua_CFunction stock = lua_tocfunction(L, lua_upvalueindex(1));
    if (lua_isnoneornil(L, 2)) {
        lua_settop(L, 2);
        lua_pushcfunction(L, budgeted_less);
        lua_replace(L, 2);
    }
    return stock(L);
}
