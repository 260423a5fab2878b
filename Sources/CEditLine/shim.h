// CEditLine: libedit's readline-compatible API (Debian's libedit-dev), for the REPL's line
// editing, history and completion. BSD-licensed, unlike GNU readline. The setters stand in for
// assignments to libedit's global variables, which Swift 6 cannot touch directly.
#ifndef SINERGI_CEDITLINE_SHIM_H
#define SINERGI_CEDITLINE_SHIM_H
#include <stdio.h>
#include <editline/readline.h>

/// rl_attempted_completion_function = f
static inline void sinergi_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
/// rl_basic_word_break_characters = characters (kept by libedit; pass a string that lives on)
static inline void sinergi_rl_set_word_breaks(const char *characters) { rl_basic_word_break_characters = characters; }
#endif
