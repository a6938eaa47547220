/* neft/memory.h -- running out of memory: a process-wide allocation-failure
 * handler for FLINT, Arb, GMP and neft's own allocations, and the memory
 * limits the process lives under.
 *
 * A failed allocation deep inside FLINT or Arb cannot be unwound (their
 * functions have no error return).  FLINT's default reaction prints to
 * stdout and calls abort(), which leaves temporary output files behind and
 * ends with SIGABRT.  neft_memory_install() replaces it: a failed
 * allocation, in any thread, writes one line on stderr, removes the pending
 * temporary files and staging directories (neft/file.h) and ends the process
 * with exit status 1.  neft's own code allocates with flint_malloc,
 * flint_calloc and flint_realloc (released with flint_free), which never
 * return NULL once the handler is installed.
 *
 * The limits (neft_memory_limit) are those of the kernel: the address-space
 * limit (ulimit -v, RLIMIT_AS) less what the process already maps, the
 * data limit (ulimit -d, RLIMIT_DATA) less its data size, and the
 * memory limit of its control group (cgroup v2 memory.max, v1
 * memory.limit_in_bytes).  The command's default --max-memory respects them,
 * so that a run that cannot fit is refused before it starts. */
#ifndef NEFT_MEMORY_H
#define NEFT_MEMORY_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Installs the allocation-failure handler for the whole process: allocation
   functions for FLINT (hence Arb) and GMP that call neft_memory_fail() when
   malloc, calloc or realloc fail, and FLINT's abort function (reached only
   by FLINT's other fatal errors) replaced by one that writes
   "NAME: internal error: FLINT aborted" on stderr, removes the pending
   temporaries and exits with status 1.  name (a string that lives as long
   as the process, e.g. "neft") starts every message.  Call it once at the
   start of main(), before any FLINT, Arb or GMP object exists.  A library
   user that does not call it keeps FLINT's and GMP's defaults. */
void neft_memory_install(const char * name);

/* The handler: writes "NAME: out of memory (BYTES bytes requested; see
   --max-memory)" on stderr with write(2), removes the pending temporary
   files and staging directories (neft_file_remove_pending) and ends the
   process with _exit(1).  Never returns.  Async-signal-safe and callable
   from any thread; when several threads fail at once, one reports and the
   others wait for the end. */
#ifdef __GNUC__
__attribute__((noreturn))
#endif
void neft_memory_fail(size_t bytes);

/* The most bytes the process can still allocate as far as the kernel's
   limits say: the smallest of the RLIMIT_AS soft limit less the current
   size of the address space, the RLIMIT_DATA soft limit less the current
   data size (both from /proc/self/statm), and the control group's memory
   limit (neft_memory_cgroup_limit).  Returns a number of bytes (0 when a
   limit is already reached), or -1 when no limit is set.  When why is not
   NULL it receives a static description of the binding limit ("ulimit -v",
   "ulimit -d", "cgroup memory.max", "cgroup memory.limit_in_bytes"), or
   NULL. */
double neft_memory_limit(const char ** why);

/* The memory limit of the control group named in proc_cgroup (a file in
   the format of /proc/self/cgroup) under the cgroup file system mounted at
   root ("/sys/fs/cgroup"): cgroup v2 ROOT/PATH/memory.max of the "0::PATH"
   line, else cgroup v1 ROOT/memory/PATH/memory.limit_in_bytes of the line
   whose controllers include "memory"; each falls back to the file of the
   same name at the top of its hierarchy (a container sees its own group
   there).  "max" and values of 2^62 and more mean no limit.  Returns the
   limit in bytes and sets *why (when not NULL) as neft_memory_limit does,
   or -1 when there is none or the files cannot be read. */
double neft_memory_cgroup_limit(const char * proc_cgroup, const char * root,
                                const char ** why);

#ifdef __cplusplus
}
#endif

#endif
