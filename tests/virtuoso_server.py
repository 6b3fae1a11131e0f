"""Start a real Virtuoso Open Source server for tests, wait until it answers, and stop it.

Debian's ``virtuoso-opensource`` (7.2.x) provides ``virtuoso-t`` and ``isql-vt``; ``make test`` installs it
when missing. The server runs on loopback only, with its database and a generated ``virtuoso.ini`` in a
temporary folder:

    with VirtuosoServer(tmp_path / "virtuoso") as server:
        server.url        # "http://127.0.0.1:<port>/sparql"
        server.env        # TRADEKG_USER / TRADEKG_PASSWORD for its dba account

A fresh database starts with the well-known dba password "dba"; it is changed through ``isql-vt`` as soon
as the server answers, before any test writes.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from oxigraph_server import free_port, wait_ready

from tradekg.serve import stop

#: The ini the server runs with. Small buffers (the tests hold a few thousand triples); results are not cut
#: at Debian's 10,000 rows; nothing but the SQL and HTTP ports, both on loopback. No
#: MaxQueryCostEstimationTime: with Debian's 400, the 236 KB INSERT DATA of the ontology and gazetteer
#: took 13-16 s instead of 0.3 s (the cost estimate is worked out before every query and update).
_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {dir}
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 60
"""


def virtuoso_exe() -> str | None:
    """``virtuoso-t`` on PATH (Debian's virtuoso-opensource), if installed."""
    return shutil.which("virtuoso-t")


class VirtuosoServer:
    """A Virtuoso server on fresh loopback ports, its database in ``location``."""

    user = "dba"

    def __init__(self, location: Path, *, max_rows: int = 1_000_000) -> None:
        exe, isql = virtuoso_exe(), shutil.which("isql-vt")
        if exe is None or isql is None:
            pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; make test does it)")
        self.exe, self.isql = exe, isql
        self.location = location
        self.sql_port, self.port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.password = "tk-" + secrets.token_hex(8)
        self.env = {"TRADEKG_USER": self.user, "TRADEKG_PASSWORD": self.password}
        self.max_rows = max_rows
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> VirtuosoServer:
        """Write the ini, start ``virtuoso-t +foreground``, wait until it answers, set the dba password."""
        self.location.mkdir(parents=True, exist_ok=True)
        ini = self.location / "virtuoso.ini"
        ini.write_text(_INI.format(dir=self.location, sql_port=self.sql_port, http_port=self.port,
                                   max_rows=self.max_rows), encoding="utf-8")
        self.proc = subprocess.Popen([self.exe, "+foreground", "+configfile", str(ini)], cwd=self.location,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # it logs to virtuoso.log
        try:
            wait_ready(self.url + "?query=ASK%7B%7D", self.proc, timeout=60)
            self._set_password()
        except (RuntimeError, subprocess.SubprocessError) as err:
            self.stop()
            log = (self.location / "virtuoso.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"Virtuoso did not start: {err}\n{log}") from None
        return self

    def _set_password(self) -> None:
        # The SQL statement goes on stdin, so the new password never shows in a process list.
        deadline = time.monotonic() + 20
        while True:
            done = subprocess.run(
                [self.isql, f"127.0.0.1:{self.sql_port}", "dba", "dba"],
                input=f"user_set_password('dba', '{self.password}');\ncheckpoint;\n".encode(),
                capture_output=True, timeout=20,
            )
            if done.returncode == 0 and b"Error" not in done.stdout + done.stderr:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"isql-vt could not set the dba password: {(done.stdout + done.stderr)[-500:]!r}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server."""
        if self.proc is not None:
            stop(self.proc)

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
