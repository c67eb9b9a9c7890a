"""A real OpenLink Virtuoso (Debian's virtuoso-opensource) on free loopback ports, in a temporary database."""

import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from servers import free_port, wait_until_up
from system import require

# Modest for a 2-core CI machine: 20 000 buffers of 8 KiB = 160 MiB page cache (the data is ~13 000 triples).
# ResultSetMaxRows is lifted: past it Virtuoso answers 200 with the rows cut (only an X-SPARQL-MaxRows header
# tells), which the service must never pass on. MaxQueryExecutionTime and the cost estimate are off too:
# SAMKART_MAX_ROWS and SAMKART_QUERY_TIMEOUT are the limits under test.
INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {db}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
MaxQueryMem = 256M
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 0
"""

# Unauthenticated /sparql and /sparql-graph-crud run as the SQL user SPARQL: this alone lets the PUTs in
# (and SPARQL Update at Virtuoso's own /sparql too, so its port must stay private; the app refuses updates).
GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL";'


def read_only(graphs: list[str]) -> str:
    """SQL that closes the store after loading: no more updates, and anonymous queries see only ``graphs``,
    so the default graph (the union of every graph) no longer shows Virtuoso's own system graphs."""
    visible = "".join(f"DB.DBA.RDF_GRAPH_USER_PERMS_SET ('{g}', 'nobody', 1); " for g in graphs)  # 1 = read
    return f'REVOKE SPARQL_UPDATE FROM "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 0); {visible}'


class VirtuosoURL(str):
    """The server's HTTP base URL, able to run SQL on the server as dba."""

    def __new__(cls, base: str, client: str, sql_port: int):
        url = super().__new__(cls, base)
        url.client, url.sql_port = client, sql_port
        return url

    def sql(self, text: str) -> str:
        return isql(self.client, self.sql_port, text)


def virtuoso_binaries() -> tuple[str, str]:
    """virtuoso-t and its isql (Debian package virtuoso-opensource, installed by scripts/system-packages.sh)."""
    return require("virtuoso-t", package="virtuoso-opensource"), require("isql-vt", "isql", package="virtuoso-opensource")


def isql(binary: str, port: int, sql: str, seconds: float = 30) -> str:
    """Run SQL as dba (a fresh database's default password), retrying while the SQL port opens; fail on an error."""
    deadline = time.monotonic() + seconds
    while True:
        done = subprocess.run([binary, f"127.0.0.1:{port}", "dba", "dba", f"exec={sql}"],
                              capture_output=True, text=True, timeout=60)
        output = done.stdout + done.stderr
        if done.returncode == 0 and "*** Error" not in output:
            return output
        if "Connect failed" not in output or time.monotonic() > deadline:
            raise RuntimeError(f"isql failed:\n{output}")
        time.sleep(0.5)


@contextmanager
def virtuoso_server():
    """virtuoso-t in the foreground on 127.0.0.1, GSP writable without auth; yields its HTTP base URL (VirtuosoURL)."""
    server, client = virtuoso_binaries()
    db = Path(tempfile.mkdtemp(prefix="samkart-virtuoso-"))
    (db / "vsp").mkdir()
    sql_port, http_port = free_port(), free_port()
    (db / "virtuoso.ini").write_text(INI.format(db=db, sql_port=sql_port, http_port=http_port))
    log = open(db / "stdout.log", "w")
    process = subprocess.Popen([server, "+configfile", str(db / "virtuoso.ini"), "+foreground"], cwd=db,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        try:
            wait_until_up(f"{base}/sparql?query=ASK%7B%7D", process, seconds=120)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{(db / 'stdout.log').read_text()[-3000:]}") from None
        isql(client, sql_port, GRANTS)
        yield VirtuosoURL(base, client, sql_port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(db, ignore_errors=True)
