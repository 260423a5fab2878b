// What the shim's C files share and Swift does not see.
#ifndef SINERGI_CLUASHIM_INTERNAL_H
#define SINERGI_CLUASHIM_INTERNAL_H
#include "CLuaShim.h"

/// The stopping hook: raises the run's kill on every instruction of an armed thread.
void sinergi_budget_hook(lua_State *L, lua_Debug *ar);

/// Records "chunk:line" of the innermost script frame, once per run.
void sinergi_note_where(lua_State *L, sinergi_budget *b);

/// The error message of a kill code.
const char *sinergi_kill_message(int kill);

/// Puts `co` on the running list (or gives it a polling hook past the tracked depth) and returns
/// its index for `sinergi_leave` (-1 when untracked). Only the coroutine functions call these,
/// around one `lua_resume`/`lua_resetthread`, with `co` anchored in their stack frame.
int sinergi_enter(sinergi_budget *b, lua_State *co);
void sinergi_leave(sinergi_budget *b, int index);
#endif
