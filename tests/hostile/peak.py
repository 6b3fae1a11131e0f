"""Run a command and report its peak memory, measured from a small parent.

``python peak.py RESULT_FILE LIMIT_BYTES COMMAND...`` runs COMMAND with ``RLIMIT_AS`` set to LIMIT_BYTES (0: no
limit), passes stdin, stdout and stderr through, writes the child's peak RSS in KiB to RESULT_FILE and exits
with the child's status.

Why a middle process: Linux keeps a process's peak RSS across ``fork`` and ``exec``, so a child forked
straight from the test runner reports the runner's own peak (hundreds of MB once a test has built a big
input) instead of its own. Forked from this small interpreter, the command's peak is its own.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys


def main() -> None:
    result_file, limit, *command = sys.argv[1:]
    if int(limit):
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    proc = subprocess.Popen(command)
    while True:
        try:
            _, status, usage = os.wait4(proc.pid, 0)
            break
        except InterruptedError:
            continue
    with open(result_file, "w", encoding="ascii") as f:
        f.write(str(usage.ru_maxrss))
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # died of a signal: die of the same one, so the caller sees what happened
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    sys.exit(code)


if __name__ == "__main__":
    main()
