"""A local OpenSearch cluster for the cluster tests: three nodes on loopback, one JVM each.

``python -m cluster start|stop|status|kill NODE|restart NODE`` (the make targets
``cluster``, ``cluster-stop`` and ``test-cluster`` call it). The nodes run the
integ-test distribution that ``make cluster`` fetches from Maven Central into
``var/cluster/``; each node has its own config, data and log folders under
``var/cluster/node-<n>/``. OpenSearch refuses to run as root, so when this runs as root the
JVMs run as the unprivileged ``nobody`` (``setpriv``), which then owns the node folders.
"""

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from indexer import VAR_DIR

#: The distribution ``make cluster`` fetches; the newest 2.19.x that runs on Java 17.
VERSION = os.environ.get("OPENSEARCH_VERSION", "2.19.6")
CLUSTER_DIR = VAR_DIR / "cluster"
NODES = 3
CLUSTER_NAME = "yearbook-test"
#: Loopback ports: node n (1-based) serves HTTP on HTTP_BASE + n, transport on TRANSPORT_BASE + n.
HTTP_BASE = 9250
TRANSPORT_BASE = 9350
HEAP = os.environ.get("OPENSEARCH_HEAP", "-Xms256m -Xmx512m")
JAVA_HOME = os.environ.get("OPENSEARCH_JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64")
#: Seconds to wait for a node to answer / the cluster to reach a health status.
START_TIMEOUT = 180
#: The JVM options of each node; the distribution's own write GC logs relative to the
#: working directory and size the heap at 1 GB.
JVM_OPTIONS = """\
-XX:+UseG1GC
-XX:G1ReservePercent=25
-XX:InitiatingHeapOccupancyPercent=30
-Djava.io.tmpdir=${OPENSEARCH_TMPDIR}
-XX:ErrorFile={logs}/hs_err_pid%p.log
-Djava.util.concurrent.ForkJoinPool.common.threadFactory=\
org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory
"""


def home() -> Path:
    """The unpacked distribution folder (``make cluster`` unzips it)."""
    return CLUSTER_DIR / f"opensearch-{VERSION}"


def url(node: int = 1) -> str:
    """The HTTP address of node ``node`` (1-based)."""
    return f"http://127.0.0.1:{HTTP_BASE + node}"


def urls() -> list[str]:
    """The HTTP addresses of all nodes (a client given all of them survives one dying)."""
    return [url(n) for n in range(1, NODES + 1)]


def node_dir(node: int) -> Path:
    """The folder of node ``node``: config/, data/, logs/, tmp/, pid, out.log."""
    return CLUSTER_DIR / f"node-{node}"


def _settings(node: int) -> str:
    """Return the opensearch.yml of node ``node``."""
    folder = node_dir(node).resolve()
    seeds = ", ".join(f"127.0.0.1:{TRANSPORT_BASE + n}" for n in range(1, NODES + 1))
    names = ", ".join(f"node-{n}" for n in range(1, NODES + 1))
    return f"""\
cluster.name: {CLUSTER_NAME}
node.name: node-{node}
network.host: 127.0.0.1
http.port: {HTTP_BASE + node}
transport.port: {TRANSPORT_BASE + node}
discovery.seed_hosts: [{seeds}]
cluster.initial_cluster_manager_nodes: [{names}]
path.data: {folder}/data
path.logs: {folder}/logs
# A test machine's disk may be fuller than the production watermarks allow.
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
"""


def prepare(node: int) -> Path:
    """Create node ``node``'s folders and configuration (kept data survives a restart)."""
    folder = node_dir(node)
    config = folder / "config"
    for sub in ("data", "logs", "tmp", "config"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(home() / "config" / "log4j2.properties", config / "log4j2.properties")
    (config / "opensearch.yml").write_text(_settings(node), encoding="utf-8")
    (config / "jvm.options").write_text(
        JVM_OPTIONS.replace("{logs}", str((folder / "logs").resolve())), encoding="utf-8")
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "nobody:nogroup", str(folder)], check=True)
        subprocess.run(["chmod", "-R", "a+rX", str(home())], check=True)
    return folder


def _get(address: str, timeout: float = 5.0):
    """GET ``address`` and return the decoded JSON, or None when nothing answers."""
    try:
        with urllib.request.urlopen(address, timeout=timeout) as response:
            return json.loads(response.read())
    except (OSError, urllib.error.URLError, ValueError):
        return None


def pid(node: int) -> int | None:
    """The process id of node ``node`` if it is running, else None."""
    try:
        number = int((node_dir(node) / "pid").read_text())
        os.kill(number, 0)
    except (OSError, ValueError):
        return None
    return number


def start_node(node: int) -> int:
    """Start node ``node`` in the background (its own process group); return its pid."""
    running = pid(node)
    if running:
        return running
    folder = prepare(node).resolve()
    env = {**os.environ, "OPENSEARCH_PATH_CONF": str(folder / "config"),
           "OPENSEARCH_JAVA_OPTS": HEAP, "OPENSEARCH_TMPDIR": str(folder / "tmp"),
           "JAVA_HOME": JAVA_HOME}
    command = [str((home() / "bin" / "opensearch").resolve())]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    with open(folder / "out.log", "ab") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=folder,
                                   start_new_session=True)
    (folder / "pid").write_text(str(process.pid))
    return process.pid


def health(node: int | None = None) -> dict | None:
    """The cluster health as any live node (or node ``node``) reports it, or None."""
    for address in ([url(node)] if node else urls()):
        found = _get(f"{address}/_cluster/health", timeout=3.0)
        if found:
            return found
    return None


def wait_for(status: str = "yellow", nodes: int = NODES, timeout: float = START_TIMEOUT) -> dict:
    """Wait until the cluster has ``nodes`` nodes and at least ``status``; return the health.

    Raises TimeoutError (naming the last health seen) after ``timeout`` seconds.
    """
    rank = {"red": 0, "yellow": 1, "green": 2}
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = health()
        if last and last.get("number_of_nodes") == nodes \
                and rank.get(last.get("status"), -1) >= rank[status]:
            return last
        time.sleep(1.0)
    raise TimeoutError(f"cluster not {status} with {nodes} nodes after {timeout:.0f} s: {last}")


def start() -> dict:
    """Start every node that is not running and wait for the cluster; return its health."""
    if not (home() / "bin" / "opensearch").exists():
        raise FileNotFoundError(f"no OpenSearch at {home()}: run `make cluster`")
    for node in range(1, NODES + 1):
        start_node(node)
    return wait_for("yellow")


def kill_node(node: int, sig: int = signal.SIGKILL, timeout: float = 60.0) -> bool:
    """Send ``sig`` to node ``node``'s process group and wait for it to end.

    Returns True if the node was running. SIGKILL is the fault test's crash; SIGTERM the
    orderly stop.
    """
    number = pid(node)
    if number is None:
        return False
    try:
        os.killpg(number, sig)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while pid(node) and time.monotonic() < deadline:
        _reap(number)
        time.sleep(0.2)
    if pid(node):
        os.killpg(number, signal.SIGKILL)
        time.sleep(1.0)
    # The pid of a zombie child stays valid for os.kill; the file says it is gone.
    (node_dir(node) / "pid").unlink(missing_ok=True)
    return True


def _reap(number: int) -> None:
    """Collect the exit status of ``number`` if this process started it (else a zombie
    would still look alive)."""
    try:
        os.waitpid(number, os.WNOHANG)
    except ChildProcessError:
        pass


def stop() -> list[int]:
    """Stop every running node (SIGTERM, SIGKILL after a minute); return those stopped."""
    return [node for node in range(1, NODES + 1) if kill_node(node, signal.SIGTERM)]


def running() -> bool:
    """True when every node of the cluster answers."""
    found = health()
    return bool(found) and found.get("number_of_nodes") == NODES
