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

/* What is left of the run's memory cap. */
static size_t rep_room(sinergi_budget *b) {
    size_t held = sinergi_budget_total(b);
    return held < b->limit ? b->limit - held : 0;
}

/* string.rep: refuses a result that would not fit in what is left of the run's memory cap, once
   garbage is collected, before a byte is built — stock builds it in a buffer and then copies it
   into the string, twice its size at the peak; a refusal mid-build would carry no line — and
   reads "resulting string too large" past an int as stock does. An empty result is "" at once:
   stock would copy nothing math.maxinteger times, in C, where no hook stops it. */
int sinergi_string_rep(lua_State *L) {
    size_t l, lsep;
    luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    if (n > 0) {
        if (l + lsep < l || l + lsep > MAXSIZE / (size_t)n) return luaL_error(L, "resulting string too large");
        if (l + lsep == 0) { lua_pushliteral(L, ""); return 1; }
        size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
        sinergi_budget *b = *sinergi_budget_slot(L);
        if (b != NULL && b->limit != 0 && 2 * total >= rep_room(b)) {
            /* What is held may be mostly garbage, which a refused allocation would have Lua
               collect before it asked again: collect it here too before refusing. */
            lua_gc(L, LUA_GCCOLLECT);
            if (2 * total >= rep_room(b)) {
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

/* Replaces argument `arg` by what `f` (a C function that calls no Lua code) returns for it. */
static void replace_with(lua_State *L, int arg, lua_CFunction f) {
    lua_pushcfunction(L, f);
    lua_pushvalue(L, arg);
    lua_call(L, 1, 1);
    lua_replace(L, arg);
}

/* lstrlib.c's getformat: a conversion's spec is the longest run of these (a NUL ends it, as
   strspn does), and the next character names the conversion. */
static size_t spec_length(const char *spec, const char *end) {
    size_t n = 0;
    while (spec + n < end && spec[n] != '\0' && strchr("-+ #0123456789.", spec[n]) != NULL) n++;
    return n;
}

/* Whether stock formats "%<spec>p" rather than refusing it (lstrlib.c checkformat with the flags
   "-" and no precision): any '-' flags, then a width of at most two digits not starting with 0. */
static int stock_accepts_pointer_spec(const char *spec, size_t n) {
    size_t i = 0;
    while (i < n && spec[i] == '-') i++;
    if (i < n && spec[i] == '0') return 0;
    for (int digits = 0; digits < 2 && i < n && spec[i] >= '0' && spec[i] <= '9'; digits++) i++;
    return i == n;
}

/* Walks the conversions of `fmt` as stock's str_format does, one argument each. Without `copy`,
   replaces the argument of every "%p" by its opaque number, and that of a "%s" that would print
   an address (a reference without __tostring) by `tostring`'s text: neither calls Lua code, so
   nothing runs, or fails, earlier than in stock. With `copy`, turns each "%p" stock accepts into
   "%s" there (the opaque number is text). Returns how many "%p" stock accepts. */
static size_t walk_conversions(lua_State *L, const char *fmt, size_t len, int top, char *copy) {
    const char *p = fmt, *end = fmt + len;
    size_t pointers = 0;
    int arg = 1;
    while (p < end && (p = memchr(p, '%', (size_t)(end - p))) != NULL) {
        p++;
        if (p < end && *p == '%') { p++; continue; }
        arg++;
        size_t n = spec_length(p, end);
        char conversion = p + n < end ? p[n] : '\0';
        if (conversion == 'p') {
            if (stock_accepts_pointer_spec(p, n)) {
                pointers++;
                if (copy != NULL) copy[(p + n) - fmt] = 's';
            }
            if (copy == NULL && arg <= top) replace_with(L, arg, sinergi_opaque);
        } else if (copy == NULL && conversion == 's' && arg <= top && is_reference(lua_type(L, arg))) {
            if (luaL_getmetafield(L, arg, "__tostring") != LUA_TNIL) lua_pop(L, 1);  /* stock calls it itself */
            else replace_with(L, arg, sinergi_safe_tostring);
        }
        p += n + 1;
    }
    return pointers;
}

/* string.format: addresses never reach scripts. "%p" prints the opaque number `tostring` uses
   (as "%s" of that text), and "%s" of a table, function, thread or userdata without __tostring
   prints `tostring`'s text, not the address. All else is stock's, errors included. */
int sinergi_string_format(lua_State *L) {
    int top = lua_gettop(L);
    if (lua_type(L, 1) != LUA_TSTRING) return stock(L)(L);
    size_t len;
    const char *fmt = lua_tolstring(L, 1, &len);
    int references = memchr(fmt, 'p', len) != NULL;
    for (int i = 2; !references && i <= top; i++) references = is_reference(lua_type(L, i));
    if (!references) return stock(L)(L);
    if (walk_conversions(L, fmt, len, top, NULL) > 0) { /* fmt stays anchored in slot 1 meanwhile */
        luaL_Buffer b;
        char *copy = luaL_buffinitsize(L, &b, len);
        memcpy(copy, fmt, len);
        walk_conversions(L, fmt, len, top, copy);
        luaL_pushresultsize(&b, len);
        lua_replace(L, 1);
    }
    return stock(L)(L);
}
