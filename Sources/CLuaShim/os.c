// os.time and os.date of the sandbox: a gate first, then stock's own C function in the same frame
// (see string.c), so their errors read and are located as stock's.
#include "internal.h"

/* Upvalue 1 is stock's function, upvalue 2 the gate: a host function that raises when the clock
   may not be read (while a workflow definition's top level runs). */
int sinergi_os_gated(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_call(L, 0, 0);
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

void sinergi_push_gated_stock(lua_State *L, const char *library, const char *name) {
    sinergi_push_over_stock(L, library, name, sinergi_os_gated);  /* gate, closure */
    lua_getupvalue(L, -1, 1);                                      /* gate, closure, stock */
    lua_remove(L, -2);                                             /* gate, stock */
    lua_insert(L, -2);                                             /* stock, gate */
    lua_pushcclosure(L, sinergi_os_gated, 2);
}
