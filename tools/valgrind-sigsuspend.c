// Preloaded by `make valgrind` only. Valgrind 3.19 writes into the signal mask a program passes to
// sigsuspend (its PRE(sys_rt_sigsuspend) deletes its own kill signal from the set). libdispatch's
// main-thread loop, where Swift's async main parks, passes a `static const sigset_t` that lives in
// read-only memory, so valgrind itself dies ("the 'impossible' happened", SIGSEGV) before any test
// runs. This sigsuspend hands the kernel a writable copy of the same mask; nothing else changes.
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, _NSIG / 8);
}
