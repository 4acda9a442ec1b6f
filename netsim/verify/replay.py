"""Replay a scenario on a real Docker engine and return the contract's JSON result.

The result has the shape ``netsim run --json`` writes (scenario-format.md,
"JSON result"), raw: IDs, MACs and durations are as the engine printed them;
``netsim.verify.normalise`` makes two results comparable.

Between steps, every running container whose image listens gets a listener in
its network namespace (agent.py, entered with ``nsenter --net=/proc/PID/ns/net``);
a container whose PID changed (restarted) gets a new one, since it has a new
namespace. Probes run agent.py in the source's namespace and resolve names
from the source's point of view: a container's own /etc/hosts (read through
``/proc/PID/root``), then Docker's embedded DNS when its resolv.conf points at
127.0.0.11; the host and the machines use the world's shared /etc/hosts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from netsim.docker.images import find_image
from netsim.errors import VerifyError
from netsim.results.run import CommandRecord
from netsim.scenario.spec import (
    CommandStep,
    ImageSpec,
    PacketStep,
    PortSpec,
    ProbeStep,
    Scenario,
)
from netsim.session.replay import check_output
from netsim.verify.engines import Engine, compose_unavailable_reason, find_engine
from netsim.verify.images import (
    build_debian_rootfs,
    build_rootfs,
    image_config,
    image_references,
    import_argv,
    is_debian,
)
from netsim.verify.session import type_session, untty_argv
from netsim.verify.world import AGENT, World, stop_process

# Longer than the kernel's ARP give-up (3 solicitations, 1 s apart), so that an
# address nobody holds on a connected subnet reports "unreachable", not "timeout".
PROBE_TIMEOUT = 5.0
EMBEDDED_DNS = "127.0.0.11"
# The catalog image whose service is the distribution registry, served by Debian's
# docker-registry 2.8 in the container's namespace (real-docker.md, "A registry").
REGISTRY_IMAGE = "registry"
INSPECT_FORMAT = (
    "{{.Id}}\t{{json .Name}}\t{{.State.Pid}}\t{{json .Config.Image}}\t{{json .Config.Entrypoint}}"
    "\t{{json .Config.Cmd}}"
)

Progress = Callable[[str], None]


@dataclass(slots=True)
class ContainerListener:
    """A listener serving a running container's ports, tied to one PID (one namespace)."""

    pid: int
    process: subprocess.Popen[str]


def container_listens(
    image: ImageSpec | None, entrypoint: list[str] | None, command: list[str] | None
) -> tuple[PortSpec, ...]:
    """Return the ports a container's service listens on (scenario-format.md's rule).

    A container runs its image's service when it kept the image's entrypoint and
    either kept the command or, with an entrypoint, passed only options
    (``-...``); a command of its own listens on nothing.
    """
    if image is None or not image.listen:
        return ()
    image_entrypoint, image_command = image_config(image)
    if tuple(entrypoint or ()) != tuple(image_entrypoint or ()):
        return ()
    if tuple(command or ()) == tuple(image_command or ()):
        return image.listen
    if image_entrypoint and all(arg.startswith("-") for arg in command or ()):
        return image.listen
    return ()


class Replay:
    """One scenario replayed in one world; ``run()`` returns the JSON result."""

    def __init__(self, scenario: Scenario, world: World, progress: Progress) -> None:
        self.scenario = scenario
        self.world = world
        self.progress = progress
        self.listeners: dict[str, ContainerListener] = {}

    def run(self) -> dict[str, Any]:
        """Make the images, replay every step, and return the result."""
        try:
            self.make_images()
            for compose in self.scenario.compose:
                # The first project's folder is the host shell's working directory.
                self.world.write_host_file(compose.path, compose.text)
            steps = []
            for step in self.scenario.steps:
                if isinstance(step, ProbeStep):
                    steps.append(self.probe(step))
                elif isinstance(step, PacketStep):
                    # Hand-crafted packets are a simulator feature; they are not
                    # sent on the real engines and not compared.
                    steps.append(
                        {
                            "index": step.index,
                            "kind": "packet",
                            "from": step.src,
                            "packet": step.packet,
                            "result": "not replayed",
                        }
                    )
                else:
                    steps.append(self.command(step))
                self.progress(_describe(steps[-1]))
                self.refresh_listeners()
        finally:
            for listener in self.listeners.values():
                stop_process(listener.process)
            self.listeners.clear()
        passed = all(step.get("passed", True) for step in steps)
        return {
            "scenario": self.scenario.name,
            "engine": self.world.engine.version,
            "passed": passed,
            "steps": steps,
        }

    # -------------------------------------------------------------- images

    def make_images(self) -> None:
        """Import every image the scenario's run/create steps use."""
        references = image_references(self.scenario)
        if not references:
            return
        specs = {spec.name: spec for spec in references.values()}.values()
        busybox = [spec for spec in specs if not is_debian(spec)]
        debian = [spec for spec in specs if is_debian(spec)]
        rootfs = build_rootfs(self.world.work / "rootfs.tar", busybox) if busybox else None
        # One Debian root filesystem per set of installed packages (images: packages:).
        debian_rootfs: dict[tuple[str, ...], Path] = {}
        for packages in sorted({spec.packages for spec in debian}):
            name = "-".join(("debian-rootfs", *packages)) + ".tar"
            with_packages = [spec for spec in debian if spec.packages == packages]
            debian_rootfs[packages] = build_debian_rootfs(
                self.world.work / name, with_packages, packages
            )
        made: dict[str, str] = {}
        for reference, spec in references.items():
            if spec.name in made:
                done = self.world.docker(["tag", made[spec.name], reference])
            else:
                tar = debian_rootfs[spec.packages] if is_debian(spec) else rootfs
                assert tar is not None
                argv = import_argv(spec, tar, reference)
                done = self.world.docker(argv[1:])
                made[spec.name] = reference
            if done.exit_code != 0:
                raise VerifyError(f"cannot make image {reference}: {done.stderr.strip()}")
        self.progress(f"images: {', '.join(references)}")

    # ------------------------------------------------------------ commands

    def command(self, step: CommandStep) -> dict[str, Any]:
        """Run a command step where it belongs and record what it printed."""
        if step.session is not None:
            return self.session(step)
        if step.on == "host":
            done = self.world.run("host", step.command)
        elif step.on in self.world.nodes:
            done = self.world.run(step.on, step.command)
        else:
            # A container: exactly `docker exec NAME CMD`, typed on the host.
            done = self.world.run("host", f"docker exec {step.on} {step.command}")
        # The same record (and expect_* checks) as a simulated run's.
        return CommandRecord(
            step.index,
            step.on,
            step.command,
            done.exit_code,
            done.stdout,
            done.stderr,
            check_output(step.expectations, done.exit_code, done.stdout),
        ).as_json()

    def session(self, step: CommandStep) -> dict[str, Any]:
        """Type a step's ``session:`` lines into its shell (netsim/verify/session.py)."""
        assert step.session is not None
        argv, shell = untty_argv(step.command)
        code, stdout, stderr, typed = type_session(
            self.world.docker_argv(argv[1:]), shell, step.session
        )
        return CommandRecord(
            step.index,
            step.on,
            step.command,
            code,
            stdout,
            stderr,
            check_output(step.expectations, code, stdout),
            typed,
        ).as_json()

    # ----------------------------------------------------------- listeners

    def running_containers(self) -> list[tuple[str, int, tuple[PortSpec, ...], str]]:
        """Return (name, pid, listened ports, registry storage) of every running container.

        The storage folder is empty but for a container that runs the registry
        image's service.
        """
        ids = self.world.docker(["ps", "-q", "--no-trunc"]).stdout.split()
        if not ids:
            return []
        done = self.world.docker(["inspect", "--format", INSPECT_FORMAT, *ids])
        found = []
        for line in done.stdout.splitlines():
            fields = line.split("\t")
            if len(fields) != 6:
                continue
            name = json.loads(fields[1]).lstrip("/")
            pid = int(fields[2])
            image = find_image(json.loads(fields[3]), self.scenario.images)
            ports = container_listens(image, json.loads(fields[4]), json.loads(fields[5]))
            storage = ""
            if ports and image is not None and image.name == REGISTRY_IMAGE:
                # Keyed by container ID: the registry's volume lives as long as its container.
                storage = str(self.world.work / "registries" / fields[0])
            if pid > 0:
                found.append((name, pid, ports, storage))
        return found

    def refresh_listeners(self) -> None:
        """Start, restart or stop container listeners to match the running containers."""
        running = {
            name: (pid, ports, storage) for name, pid, ports, storage in self.running_containers()
        }
        for name in list(self.listeners):
            listener = self.listeners[name]
            if (
                name not in running
                or running[name][0] != listener.pid
                or listener.process.poll() is not None
            ):
                stop_process(listener.process)
                del self.listeners[name]
        for name, (pid, ports, storage) in running.items():
            if ports and name not in self.listeners:
                netns = f"/proc/{pid}/ns/net"
                if storage:
                    process = self.world.start_registry(netns, name, Path(storage))
                else:
                    process = self.world.start_listener(netns, name, ports)
                self.listeners[name] = ContainerListener(pid, process)

    # -------------------------------------------------------------- probes

    def probe_source(self, name: str) -> tuple[str, str, str | None] | None:
        """Return (netns path, hosts file, DNS server) of a probe source, None if not running."""
        node = self.world.nodes.get(name)
        if node is not None:
            return node.netns_path, str(node.work / "hosts"), None
        done = self.world.docker(["inspect", "--format", "{{.State.Pid}}", name])
        if done.exit_code != 0 or done.stdout.strip() in ("", "0"):
            return None
        pid = int(done.stdout.strip())
        root = Path(f"/proc/{pid}/root/etc")
        dns = None
        try:
            for line in (root / "resolv.conf").read_text().splitlines():
                fields = line.split()
                if len(fields) >= 2 and fields[0] == "nameserver":
                    dns = fields[1] if fields[1] == EMBEDDED_DNS else None
                    break
        except OSError:
            pass
        return f"/proc/{pid}/ns/net", str(root / "hosts"), dns

    def probe(self, step: ProbeStep) -> dict[str, Any]:
        """Run a probe from its source and record what came back."""
        record: dict[str, Any] = {
            "index": step.index,
            "kind": "probe",
            "from": step.src,
            "to": step.target,
        }
        source = self.probe_source(step.src)
        if source is None:
            outcome: dict[str, Any] = {
                "result": None,
                "served_by": None,
                "local": None,
                "peer": None,
                "error": f"probe source {step.src} is not running",
            }
        else:
            netns, hosts, dns = source
            argv = [
                "nsenter",
                f"--net={netns}",
                sys.executable,
                str(AGENT),
                "probe",
                "--dst",
                step.dst,
                "--proto",
                step.proto,
                "--hosts",
                hosts,
                "--timeout",
                str(PROBE_TIMEOUT),
            ]
            if step.port is not None:
                argv += ["--port", str(step.port)]
            if dns:
                argv += ["--dns", dns]
            done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
            if done.returncode != 0:
                raise VerifyError(f"probe {step.src} -> {step.target} failed: {done.stderr}")
            outcome = json.loads(done.stdout)
            outcome.pop("address", None)
        record.update(outcome)
        record["expect"] = step.expect
        if step.expect is not None:
            record["passed"] = record["result"] == step.expect
        return record


def _describe(step: dict[str, Any]) -> str:
    """Return a one-line progress note for a replayed step."""
    if step["kind"] == "probe":
        served = (
            f" by {step['served_by']} ({step['local']} <- {step['peer']})"
            if step.get("served_by")
            else ""
        )
        return f"  [{step['index']}] probe {step['from']} -> {step['to']}: {step['result']}{served}"
    if step["kind"] == "packet":
        return f"  [{step['index']}] packet from {step['from']}: {step['result']}"
    return f"  [{step['index']}] {step['on']}$ {step['command']} -> exit {step['exit_code']}"


def replay_scenario(
    scenario: Scenario,
    version: str,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Replay ``scenario`` on a fresh real dockerd of ``version``; return the raw result.

    Raises:
        VerifyError: the engine is not available here or the world could not be built.
    """

    def quiet(_: str) -> None:
        return None

    say: Progress = progress or quiet
    engine = engine or find_engine(version)
    say(f"replaying {scenario.name} on Docker {version}")
    workdir = scenario.workdir
    if scenario.compose:
        reason = compose_unavailable_reason(version)
        if reason:
            raise VerifyError(reason)
    with World(scenario, engine, host_workdir=workdir) as world:
        return Replay(scenario, world, say).run()
