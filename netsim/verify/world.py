"""Build a scenario's world around a real dockerd, run commands in it, tear it down.

The world is the one scenario-format.md describes, built the way
real-docker.md's "Replaying a scenario" prescribes:

- a LAN: a bridge alone in a network namespace, one veth per node;
- the host: a network namespace plus private mount and UTS namespaces held
  by an anchor process (``unshare``), hostname ``host``, the world's
  /etc/hosts and /etc/resolv.conf bind-mounted, /sys remounted for its
  network namespace with the cgroup mounts moved back, a private /run,
  /root and /tmp (replays running at once never see each other's files),
  and a work folder's ``data``/``exec`` bind-mounted on /var/lib/docker and
  /var/run/docker, so dockerd keeps its usual paths;
- each machine: the same, without Docker;
- every node's ``eth0`` with MAC ``02:00:`` + its IPv4 bytes, no default
  route, IPv6 duplicate address detection off, IPv4 forwarding off (a fresh
  host's value).

Nothing here touches the machine's root network namespace. Everything is
removed again by ``close()``, which is safe to call after a partial build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from ipaddress import IPv4Interface
from pathlib import Path

from netsim.errors import VerifyError
from netsim.scenario.spec import PortSpec, Scenario
from netsim.verify.engines import (
    SYSTEM_PATH,
    Engine,
    registry_binary,
    registry_unavailable_reason,
)

WORK_ROOT = Path("/var/tmp/netsim-verify")
NETNS_DIR = Path("/var/run/netns")
NETNS_PREFIX = "nsv"
AGENT = Path(__file__).with_name("agent.py")
DOCKER_SOCKET = "unix:///var/run/docker.sock"
COMMAND_TIMEOUT = 180.0
# A Docker host's default storage driver on ext4/xfs (the simulator shows its
# directories, netsim/docker/storage.py); a container costs no copy of its image.
STORAGE_DRIVER = "overlay2"
DAEMON_START_TIMEOUT = 60.0
# The host's and machines' own shell: Debian's /bin/sh (dash), as a person's host has.
SHELL = ("sh", "-c")
# Processes a replay leaves behind only if it is killed outright; see sweep_stale_worlds().
STALE_COMMANDS = ("sleep 2147483647", "dockerd", "containerd", "docker-registry serve")
# The distribution registry as the registry:2 image configures it (storage on
# the filesystem, :5000), quieter: no access log.
REGISTRY_CONFIG = """version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: {storage}
  delete:
    enabled: true
http:
  addr: :5000
"""

# Runs inside the new mount and UTS namespaces; "$1" is the work folder, "$2"
# the hostname, "$3" "docker" for the Docker host, "$4" the folder the anchor
# waits in (the host shell's working directory, made in the private /root).
ANCHOR_SCRIPT = r"""
set -e
work="$1"
hostname "$2"
mount --bind "$work/hosts" /etc/hosts
mount --bind "$work/resolv.conf" /etc/resolv.conf
mkdir -p "$work/cgroup"
mount --rbind /sys/fs/cgroup "$work/cgroup"
mount -t sysfs sysfs /sys
mount --move "$work/cgroup" /sys/fs/cgroup
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock
mount -t tmpfs -o mode=700 tmpfs /root
mount -t tmpfs -o mode=1777 tmpfs /tmp
if [ "$3" = docker ]; then
    mkdir -p /run/docker /var/lib/docker "$work/data" "$work/exec"
    mount --bind "$work/data" /var/lib/docker
    mount --bind "$work/exec" /run/docker
fi
mkdir -p "$4"
cd "$4"
echo ready > "$work/ready"
exec sleep 2147483647
"""


def mac_for(address: IPv4Interface) -> str:
    """Return a LAN interface's MAC: ``02:00:`` and the four IPv4 bytes."""
    return "02:00:" + ":".join(f"{byte:02x}" for byte in address.ip.packed)


def hosts_file(scenario: Scenario) -> str:
    """Return the /etc/hosts the host and the machines share (scenario-format.md)."""
    lines = [
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        f"{scenario.host.address.ip}\thost",
    ]
    lines += [f"{machine.address.ip}\t{machine.name}" for machine in scenario.machines]
    return "\n".join(lines) + "\n"


def _run(argv: list[str], *, check: bool = True, timeout: float = 60.0) -> str:
    """Run a setup command and return its stdout; raise VerifyError when it fails."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise VerifyError(f"{' '.join(argv)}: no answer in {timeout:.0f} s") from error
    if check and done.returncode != 0:
        raise VerifyError(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return done.stdout


def _alive(pid: int) -> bool:
    """Return whether process ``pid`` still exists (and is not a zombie of ours)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_process(
    process: subprocess.Popen[bytes] | subprocess.Popen[str] | None, *, grace: float = 5.0
) -> None:
    """Stop a child by its pid: SIGTERM, wait ``grace`` seconds, then SIGKILL; close its pipes."""
    if process is None:
        return
    if process.poll() is not None:
        _close_pipes(process)
        return
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(10)
    _close_pipes(process)


def _close_pipes(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Close the parent's ends of a child's pipes."""
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def _kill_pid(pid: int, *, grace: float = 5.0) -> None:
    """Stop a process that is not our child, by its pid."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _cmdline(pid: int) -> str:
    """Return a process's command line with spaces, or ``""`` when it is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def sweep_stale_worlds() -> list[str]:
    """Remove what replays killed outright left behind; return what was removed.

    Only this module's own leftovers are touched: work folders
    ``run-<pid>-...`` and namespaces ``nsv<pid>-...`` whose replay process
    ``<pid>`` is gone, and the processes those folders list by pid (anchors,
    dockerd, containerd), each checked by its command line first.
    """
    removed: list[str] = []
    if WORK_ROOT.is_dir():
        for work in sorted(WORK_ROOT.glob("run-*")):
            owner = work.name.split("-")[1]
            if not owner.isdigit() or _alive(int(owner)):
                continue
            pids = work / "pids"
            for line in pids.read_text().split() if pids.exists() else []:
                pid = int(line)
                if any(name in _cmdline(pid) for name in STALE_COMMANDS):
                    _kill_pid(pid)
                    removed.append(f"process {pid}")
            shutil.rmtree(work, ignore_errors=True)
            removed.append(str(work))
    if not NETNS_DIR.is_dir():
        return removed
    for entry in sorted(NETNS_DIR.iterdir()):
        name = entry.name
        if not name.startswith(NETNS_PREFIX) or "-" not in name:
            continue
        owner = name[len(NETNS_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and not _alive(int(owner)):
            _run(["ip", "netns", "delete", name], check=False)
            removed.append(name)
    return removed


@dataclass(slots=True)
class Node:
    """A host or machine of the world: its namespaces, held by an anchor process."""

    name: str
    address: IPv4Interface
    listen: tuple[PortSpec, ...]
    netns: str
    work: Path
    anchor: subprocess.Popen[bytes] | None = None
    listener: subprocess.Popen[str] | None = None

    @property
    def netns_path(self) -> str:
        """Return the path of the node's network namespace file."""
        return str(NETNS_DIR / self.netns)

    def nsenter(self) -> list[str]:
        """Return the ``nsenter`` prefix that enters the node's namespaces."""
        if self.anchor is None:
            raise VerifyError(f"node {self.name} has no namespaces yet")
        return ["nsenter", "-t", str(self.anchor.pid), "--net", "--mount", "--uts", "--wd=/"]


@dataclass(slots=True)
class CommandResult:
    """What a command printed and exited with."""

    exit_code: int
    stdout: str
    stderr: str


@dataclass(slots=True)
class World:
    """A scenario's world on this machine, with a real dockerd of ``engine`` on its host."""

    scenario: Scenario
    engine: Engine
    work: Path = field(default_factory=lambda: WORK_ROOT / f"run-{os.getpid()}-{time.time_ns()}")
    nodes: dict[str, Node] = field(default_factory=dict)
    namespaces: list[str] = field(default_factory=list)
    dockerd: subprocess.Popen[bytes] | None = None
    log: list[str] = field(default_factory=list)
    # The host shell's working directory (a compose scenario's project folder).
    host_workdir: str = "/"

    @property
    def host(self) -> Node:
        """Return the Docker host node."""
        return self.nodes["host"]

    # ----------------------------------------------------------- building

    def build(self) -> None:
        """Build the LAN, the host and the machines, and start dockerd on the host."""
        sweep_stale_worlds()
        self.work.mkdir(parents=True)
        (self.work / "hosts").write_text(hosts_file(self.scenario))
        (self.work / "resolv.conf").write_text(f"nameserver {self.scenario.nameserver}\n")
        prefix = f"{NETNS_PREFIX}{os.getpid()}-"
        lan = self._add_netns(prefix + "lan")
        self._in_netns(lan, ["sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1"])
        self._in_netns(lan, ["sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1"])
        _run(["ip", "-n", lan, "link", "add", "lan0", "type", "bridge", "forward_delay", "0"])
        _run(["ip", "-n", lan, "link", "set", "lan0", "up"])
        members = [("host", self.scenario.host.address, self.scenario.host.listen)]
        members += [(m.name, m.address, m.listen) for m in self.scenario.machines]
        for number, (name, address, listen) in enumerate(members):
            netns = self._add_netns(prefix + ("host" if name == "host" else f"m{number}"))
            node = Node(
                name=name,
                address=address,
                listen=listen,
                netns=netns,
                work=self.work / f"node-{number}",
            )
            self.nodes[name] = node
            self._wire(node, lan, f"p{number}")
            self._start_anchor(node, docker=name == "host")
        for node in self.nodes.values():
            self._start_node_listener(node)
        self._start_dockerd()

    def _add_netns(self, name: str) -> str:
        """Create a network namespace with loopback up; remember it for removal."""
        _run(["ip", "netns", "add", name])
        self.namespaces.append(name)
        _run(["ip", "-n", name, "link", "set", "lo", "up"])
        return name

    @staticmethod
    def _in_netns(netns: str, argv: list[str]) -> str:
        """Run a command in a network namespace only (no /sys remount, unlike ip netns exec)."""
        return _run(["nsenter", f"--net={NETNS_DIR / netns}", *argv])

    def _wire(self, node: Node, lan: str, port: str) -> None:
        """Give ``node`` its eth0 on the LAN, as scenario-format.md describes."""
        for key in ("all", "default"):
            self._in_netns(node.netns, ["sysctl", "-qw", f"net.ipv6.conf.{key}.accept_dad=0"])
        # A new namespace copies IPv4 settings from the machine's; a fresh host forwards nothing.
        self._in_netns(node.netns, ["sysctl", "-qw", "net.ipv4.ip_forward=0"])
        _run(
            [
                "ip",
                "-n",
                lan,
                "link",
                "add",
                port,
                "type",
                "veth",
                "peer",
                "name",
                "eth0",
                "netns",
                node.netns,
            ]
        )
        _run(["ip", "-n", lan, "link", "set", port, "master", "lan0", "up"])
        _run(
            [
                "ip",
                "-n",
                node.netns,
                "link",
                "set",
                "eth0",
                "address",
                mac_for(node.address),
                "mtu",
                "1500",
            ]
        )
        _run(["ip", "-n", node.netns, "addr", "add", str(node.address), "dev", "eth0"])
        _run(["ip", "-n", node.netns, "link", "set", "eth0", "up"])

    def _start_anchor(self, node: Node, *, docker: bool) -> None:
        """Start the process that holds the node's private mount and UTS namespaces."""
        node.work.mkdir(parents=True)
        shutil.copy(self.work / "hosts", node.work / "hosts")
        shutil.copy(self.work / "resolv.conf", node.work / "resolv.conf")
        argv = [
            "nsenter",
            f"--net={node.netns_path}",
            "unshare",
            "--mount",
            "--uts",
            "--propagation",
            "private",
            "sh",
            "-c",
            ANCHOR_SCRIPT,
            "anchor",
            str(node.work),
            node.name,
            "docker" if docker else "plain",
            self.host_workdir if docker else "/",
        ]
        with open(node.work / "anchor.log", "wb") as log:
            node.anchor = subprocess.Popen(
                argv,
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self._note_pid(node.anchor.pid)
        deadline = time.monotonic() + 20
        while not (node.work / "ready").exists():
            if node.anchor.poll() is not None or time.monotonic() > deadline:
                raise VerifyError(
                    f"cannot set up the namespaces of {node.name}: "
                    + (node.work / "anchor.log").read_text().strip()
                )
            time.sleep(0.05)

    def _start_node_listener(self, node: Node) -> None:
        """Serve the node's ``listen`` ports (before dockerd, so clashes show)."""
        if not node.listen:
            return
        node.listener = self.start_listener(node.netns_path, node.name, node.listen, ipv6=True)

    def start_listener(
        self, netns_path: str, name: str, ports: tuple[PortSpec, ...], *, ipv6: bool = False
    ) -> subprocess.Popen[str]:
        """Start agent.py's listener for ``name`` in a network namespace; wait until it serves."""
        argv = ["nsenter", f"--net={netns_path}", sys.executable, str(AGENT), "listen", name]
        for port in ports:
            argv += [f"--{port.proto}", str(port.port)]
        if ipv6:
            argv.append("--ipv6")
        log_path = self.work / f"listener-{name}.log"
        with open(log_path, "ab") as log:
            listener = subprocess.Popen(
                argv,
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
                start_new_session=True,
            )
        assert listener.stdout is not None
        line = listener.stdout.readline()
        if line.strip() != "ready":
            stop_process(listener)
            raise VerifyError(f"listener for {name} did not start: {log_path.read_text().strip()}")
        return listener

    def start_registry(self, netns_path: str, name: str, storage: Path) -> subprocess.Popen[str]:
        """Serve the distribution registry on :5000 in a network namespace; wait until it serves.

        Its blobs and manifests live in ``storage``, which outlives the process,
        as a registry container's volume outlives a restart.
        """
        binary = registry_binary()
        reason = registry_unavailable_reason()
        if reason:
            raise VerifyError(reason)
        storage.mkdir(parents=True, exist_ok=True)
        config = self.work / f"registry-{name}.yml"
        config.write_text(REGISTRY_CONFIG.format(storage=storage))
        log_path = self.work / f"registry-{name}.log"
        # A restarted container's registry appends to the same log: wait for its own line.
        start = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "ab") as log:
            registry = subprocess.Popen(
                ["nsenter", f"--net={netns_path}", str(binary), "serve", str(config)],
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                text=True,
                start_new_session=True,
            )
        self._note_pid(registry.pid)
        deadline = time.monotonic() + 30.0
        while b"listening on" not in log_path.read_bytes()[start:]:
            if registry.poll() is not None or time.monotonic() > deadline:
                stop_process(registry)
                raise VerifyError(
                    f"registry for {name} did not start: {log_path.read_text().strip()[-2000:]}"
                )
            time.sleep(0.05)
        return registry

    def _start_dockerd(self) -> None:
        """Start the engine's dockerd in the host's namespaces with the scenario's flags."""
        argv = [
            *self.host.nsenter(),
            "env",
            "-i",
            f"PATH={self.engine.daemon_path()}",
            str(self.engine.dockerd),
            "--storage-driver",
            STORAGE_DRIVER,
            "--pidfile",
            "/run/docker.pid",
            *daemon_flags(self.scenario),
        ]
        self.log.append("dockerd " + " ".join(daemon_flags(self.scenario)))
        with open(self.work / "dockerd.log", "wb") as log:
            self.dockerd = subprocess.Popen(
                argv,
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        self._note_pid(self.dockerd.pid)
        deadline = time.monotonic() + DAEMON_START_TIMEOUT
        while True:
            if self.dockerd.poll() is not None:
                raise VerifyError(f"dockerd {self.engine.version} exited: {self._dockerd_tail()}")
            if self.docker(["version", "--format", "{{.Server.Version}}"]).exit_code == 0:
                containerd = self._containerd_pid()
                if containerd:
                    self._note_pid(containerd)
                return
            if time.monotonic() > deadline:
                raise VerifyError(
                    f"dockerd {self.engine.version} did not answer in "
                    f"{DAEMON_START_TIMEOUT:.0f} s: {self._dockerd_tail()}"
                )
            time.sleep(0.3)

    def _dockerd_tail(self) -> str:
        """Return the last lines dockerd logged."""
        try:
            return "\n".join((self.work / "dockerd.log").read_text().splitlines()[-8:])
        except OSError:
            return "(no log)"

    # ------------------------------------------------------------ running

    def shell_env(self) -> list[str]:
        """Return the host shell's environment (``env -i`` form): the version's CLI first."""
        return [
            "env",
            "-i",
            f"PATH={self.engine.shell_path()}",
            "HOME=/root",
            f"DOCKER_HOST={DOCKER_SOCKET}",
            f"DOCKER_CONFIG={self.engine.config_dir}",
        ]

    def run(
        self, node_name: str, command: str, *, timeout: float = COMMAND_TIMEOUT
    ) -> CommandResult:
        """Run a shell command line on a node as typed there (busybox sh, like the contract's)."""
        node = self.nodes[node_name]
        prefix = node.nsenter()
        if node_name == "host":
            env = self.shell_env()
            # The anchor waits in the working directory; ``--wd`` alone takes its.
            prefix = [*prefix[:-1], "--wd"]
        else:
            env = ["env", "-i", f"PATH={SYSTEM_PATH}", "HOME=/root"]
        return self._capture([*prefix, *env, *SHELL, command], timeout)

    def write_host_file(self, path: str, text: str) -> None:
        """Write ``text`` to ``path`` in the host's own mount namespace (its private /root)."""
        staged = self.work / "staged-file"
        staged.write_text(text)
        folder = path.rsplit("/", 1)[0] or "/"
        script = 'mkdir -p "$1" && cp "$2" "$3"'
        argv = [*self.host.nsenter(), "sh", "-c", script, "sh", folder, str(staged), path]
        done = self._capture(argv, 30.0)
        if done.exit_code != 0:
            raise VerifyError(f"cannot write {path} on the host: {done.stderr.strip()}")

    def docker(self, args: list[str], *, timeout: float = COMMAND_TIMEOUT) -> CommandResult:
        """Run the version's docker CLI on the host for the harness's own needs."""
        argv = [*self.host.nsenter(), *self.shell_env(), "docker", *args]
        return self._capture(argv, timeout)

    def docker_argv(self, args: list[str]) -> list[str]:
        """Return the argv that runs the version's docker CLI on the host with ARGS."""
        return [*self.host.nsenter(), *self.shell_env(), "docker", *args]

    @staticmethod
    def _capture(argv: list[str], timeout: float) -> CommandResult:
        """Run ``argv`` and return exit code, stdout and stderr exactly as printed."""
        try:
            done = subprocess.run(
                argv,
                cwd="/",
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise VerifyError(f"command did not finish in {timeout:.0f} s: {argv[-1]}") from error
        return CommandResult(
            done.returncode,
            done.stdout.decode(errors="replace"),
            done.stderr.decode(errors="replace"),
        )

    # ----------------------------------------------------------- teardown

    def _note_pid(self, pid: int) -> None:
        """Remember a long-lived process, so a later sweep can stop it if we are killed."""
        with open(self.work / "pids", "a") as pids:
            pids.write(f"{pid}\n")

    def close(self) -> None:
        """Stop everything started and remove the namespaces and the work folder.

        Each stage runs even when an earlier one fails, and SIGINT/SIGTERM wait
        until the end, so an interrupted replay still leaves nothing behind.
        """
        blocked = {signal.SIGINT, signal.SIGTERM}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        errors: list[str] = []
        try:
            for stage in (
                self._remove_containers,
                self._stop_daemon,
                self._stop_nodes,
                self._remove_namespaces,
                self._remove_work,
            ):
                try:
                    stage()
                except Exception as error:  # noqa: BLE001 - every stage must get its turn
                    errors.append(f"{stage.__name__}: {error}")
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if errors:
            raise VerifyError("cleanup was incomplete: " + "; ".join(errors))

    def _remove_containers(self) -> None:
        """Remove every container at once (SIGKILL), so dockerd stops quickly."""
        if self.dockerd is None or self.dockerd.poll() is not None:
            return
        ids = self.docker(["ps", "-aq"], timeout=30).stdout.split()
        if ids:
            self.docker(["rm", "-f", *ids], timeout=60)

    def _stop_daemon(self) -> None:
        """Stop dockerd by its pid, then the containerd it started if that is still up."""
        containerd_pid = self._containerd_pid()
        stop_process(self.dockerd, grace=20)
        if containerd_pid and _alive(containerd_pid):
            _kill_pid(containerd_pid)

    def _stop_nodes(self) -> None:
        """Stop the nodes' listeners and anchors (their mounts go with them)."""
        for node in self.nodes.values():
            stop_process(node.listener)
        for node in self.nodes.values():
            stop_process(node.anchor)

    def _remove_namespaces(self) -> None:
        """Delete the network namespaces this world made."""
        for name in reversed(self.namespaces):
            _run(["ip", "netns", "delete", name], check=False)
        self.namespaces.clear()

    def _remove_work(self) -> None:
        """Delete the work folder (the daemon's data included)."""
        if self.work.exists():
            shutil.rmtree(self.work, ignore_errors=True)

    def _containerd_pid(self) -> int | None:
        """Return the pid of the containerd this dockerd started, if known."""
        pid_file = self.work / "exec" / "containerd" / "containerd.pid"
        try:
            return int(pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def __enter__(self) -> World:
        try:
            self.build()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def daemon_flags(scenario: Scenario) -> list[str]:
    """Return the dockerd flags for the settings the scenario sets, and only those."""
    daemon = scenario.daemon
    flags: list[str] = []
    if daemon.icc is not None:
        flags.append(f"--icc={str(daemon.icc).lower()}")
    if daemon.userland_proxy is not None:
        flags.append(f"--userland-proxy={str(daemon.userland_proxy).lower()}")
    if daemon.ip_forward is not None:
        flags.append(f"--ip-forward={str(daemon.ip_forward).lower()}")
    if daemon.bip is not None:
        flags.append(f"--bip={daemon.bip}")
    for pool in daemon.default_address_pools or ():
        flags.append(f"--default-address-pool=base={pool.base},size={pool.size}")
    for registry in daemon.insecure_registries or ():
        flags.append(f"--insecure-registry={registry}")
    return flags
