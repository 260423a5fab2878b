// CLua: the system Lua 5.4 headers (Debian's liblua5.4-dev, found through pkg-config lua5.4).
// Nothing but includes; macros Swift cannot import are wrapped in CLuaShim.
#ifndef SINERGI_CLUA_SHIM_H
#define SINERGI_CLUA_SHIM_H
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#endif
