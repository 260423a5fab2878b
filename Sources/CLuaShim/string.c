// string.rep and string.format of the sandbox: checks before stock's own C function, which is
// then called in the same frame (upvalue 1), not through lua_call. A Lua wrapper would be a frame
// of its own: stock's argument errors would name the wrapper's local and point at the prelude's
// line, and a script's `return string.format(...)` (a tail call) would lose the script's line.
#include "internal.h"
#include <limits.h>
#include <string.h>

/* lstrlib.c's MAXSIZE: a string result must fit an int. */
#define MAXSIZE ((size_t)INT_MAX)

static lua_CFunction stock(lua_State *L) { return lua_tocfunction(L, lua_upvalueindex(1)); }

void sinergi_push_over_stock(lua_State *L, const char *library, const char *name, lua_CFunction wrapper) {
    lua_getglobal(L, library);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
    if (lua_tocfunction(L, -1) == wrapper) { /* set up twice: wrap stock's, never the wrapper */
        lua_getupvalue(L, -1, 1);
        lua_remove(L, -2);
    }
    lua_pushcclosure(L, wrapper, 1);
}

/* string.rep: refuses a result larger than what is left of the run's memory cap before a byte is
   built (stock would try the allocation; a refused one mid-build cannot be told from a real
   shortage), and reads "resulting string too large" past an int as stock does. */
int sinergi_string_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0) {
        if (l + lsep < l || l + lsep > MAXSIZE / (size_t)n) return luaL_error(L, "resulting string too large");
        size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
        sinergi_budget *b = *sinergi_budget_slot(L);
        if (b != NULL && b->limit != 0) {
            size_t held = sinergi_budget_total(b);
            size_t left = held < b->limit ? b->limit - held : 0;
            if (total >= left) {
                sinergi_kill_memory(L);
                return luaL_error(L, "not enough memory");
            }
        }
    }
    return stock(L)(L);
}

static int is_reference(int type) {
    return type == LUA_TTABLE || type == LUA_TFUNCTION || type == LUA_TTHREAD || type == LUA_TUSERDATA
        || type == LUA_TLIGHTUSERDATA;
}

/* Finds the next conversion at or after `from`: '%', flags [-+ #0]*, width digits, '.', precision
   digits, then the conversion character at `*conv` (== len when the format ends first). Returns 0
   when no '%' is left; `*next` is where to look after it. */
static int next_conversion(const char *fmt, size_t len, size_t from, size_t *spec, size_t *conv, size_t *next) {
    const char *percent = from < len ? memchr(fmt + from, '%', len - from) : NULL;
    if (percent == NULL) return 0;
    size_t i = (size_t)(percent - fmt) + 1;
    *spec = i;
    while (i < len && fmt[i] != '\0' && strchr("-+ #0", fmt[i]) != NULL) i++;
    while (i < len && fmt[i] >= '0' && fmt[i] <= '9') i++;
    if (i < len && fmt[i] == '.') i++;
    while (i < len && fmt[i] >= '0' && fmt[i] <= '9') i++;
    *conv = i;
    *next = i < len ? i + 1 : len;
    return 1;
}

/* "%p" takes only '-' and a width; other specs are left for stock to refuse. */
static int plain_pointer_spec(const char *fmt, size_t spec, size_t conv) {
    size_t i = spec;
    if (i < conv && fmt[i] == '-') i++;
    while (i < conv && fmt[i] >= '0' && fmt[i] <= '9') i++;
    return i == conv;
}

/* Replaces argument `arg` by what `f` returns for it. */
static void replace_with(lua_State *L, int arg, lua_CFunction f) {
    lua_pushcfunction(L, f);
    lua_pushvalue(L, arg);
    lua_call(L, 1, 1);
    lua_replace(L, arg);
}

/* string.format: addresses never reach scripts. "%p" prints the opaque number `tostring` uses
   (as "%s" of that text), and "%s" of a table, function, thread or userdata without __tostring
   prints `tostring`'s text, not the address. All else is stock's. */
int sinergi_string_format(lua_State *L) {
    int top = lua_gettop(L);
    if (lua_type(L, 1) != LUA_TSTRING) return stock(L)(L);
    size_t len, spec = 0, conv = 0, pointers = 0;
    const char *fmt = lua_tolstring(L, 1, &len);
    int references = memchr(fmt, 'p', len) != NULL;
    for (int i = 2; !references && i <= top; i++) references = is_reference(lua_type(L, i));
    if (!references) return stock(L)(L);
    int arg = 1;
    for (size_t at = 0; next_conversion(fmt, len, at, &spec, &conv, &at);) {
        char c = conv < len ? fmt[conv] : '\0';
        if (c == '%' && spec == conv) continue; /* "%%" */
        if (c == 'p' && plain_pointer_spec(fmt, spec, conv)) pointers++;
        if (++arg > top) continue; /* stock reports the missing argument */
        if (c == 'p' && plain_pointer_spec(fmt, spec, conv)) {
            replace_with(L, arg, sinergi_opaque);
        } else if (c == 's' && is_reference(lua_type(L, arg))) {
            replace_with(L, arg, sinergi_safe_tostring);
        }
    }
    if (pointers > 0) { /* the same text with those p's as s's (fmt stays anchored in slot 1) */
        luaL_Buffer b;
        char *copy = luaL_buffinitsize(L, &b, len);
        memcpy(copy, fmt, len);
        for (size_t at = 0; next_conversion(fmt, len, at, &spec, &conv, &at);) {
            if (conv < len && fmt[conv] == 'p' && plain_pointer_spec(fmt, spec, conv)) copy[conv] = 's';
        }
        luaL_pushresultsize(&b, len);
        lua_replace(L, 1);
    }
    return stock(L)(L);
}
