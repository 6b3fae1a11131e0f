"""Showing long output on a terminal through a pager, as git does.

Output taller than the terminal goes through ``$TRADEKG_PAGER``, else ``$PAGER``, else ``less -FRX``
(``LESS=FRX`` is set when the user has no ``$LESS``: quit at the end of a short text, keep colours, leave
the text on the screen). The command runs through the shell, so ``PAGER="less -S"`` works. An empty pager
or ``cat`` means no pager. Nothing is paged when the output is not a terminal (a pipe, a file), or when
the caller turns paging off (``--no-pager``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from typing import IO


def pager_command(env: dict[str, str] | None = None) -> str | None:
    """The pager to run, or None for none.

    >>> pager_command({"PAGER": "more"}), pager_command({"TRADEKG_PAGER": "", "PAGER": "more"})
    ('more', None)
    >>> pager_command({"PAGER": "cat"}) is None
    True
    """
    env = dict(os.environ) if env is None else env
    for name in ("TRADEKG_PAGER", "PAGER"):
        if name in env:
            command = env[name].strip()
            return None if command in ("", "cat") else command
    return "less -FRX" if shutil.which("less") else None


def is_terminal(stream: IO[str]) -> bool:
    """True when ``stream`` is a terminal (a closed or fake stream is not)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_height(stream: IO[str]) -> int:
    """Rows of the terminal ``stream`` is, else ``$LINES``, else 24."""
    try:
        lines = os.get_terminal_size(stream.fileno()).lines
    except (AttributeError, ValueError, OSError):
        lines = 0
    return lines or int(os.environ.get("LINES") or 0) or 24  # a terminal of unknown size reports 0


def terminal_width(stream: IO[str]) -> int:
    """Columns of the terminal ``stream`` is, else ``$COLUMNS``, else 80."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    return int(os.environ.get("COLUMNS") or 0) or columns or 80


def page(text: str, stream: IO[str] | None = None, *, enabled: bool = True) -> None:
    """Write ``text`` to ``stream``, through the pager when it is a terminal and the text is taller than it."""
    stream = stream or sys.stdout
    command = pager_command() if enabled and is_terminal(stream) else None
    if command is None or text.count("\n") < terminal_height(stream):
        stream.write(text)
        return
    stream.flush()
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=stream, env=env)  # noqa: S602
    except OSError:
        stream.write(text)  # the pager could not start: the text is still shown
        return
    # While the pager runs, Ctrl-C belongs to it (less uses it to stop a search), not to us.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode(getattr(stream, "encoding", None) or "utf-8", "replace"))
            proc.stdin.close()
        except BrokenPipeError:
            pass  # the reader quit before the end (q in less): nothing more to show
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
