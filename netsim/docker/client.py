"""The docker CLI model: parse a command line, call the daemon, print as the CLI does.

Each engine profile is a daemon and its CLI together: the profile decides how
bindings and errors print. A refused command prints Docker's message and
returns a non-zero exit code; nothing here raises for a refusal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv4Network, ip_network
from typing import Any

from netsim.docker.commandline import (
    DOCKER_COMMANDS,
    ArgumentCount,
    DockerCommand,
    UsageError,
    cobra_name,
    command_path,
    is_docker_command,
    parse_docker,
    usage_line,
)
from netsim.docker.daemon import ContainerRequest, Daemon
from netsim.docker.engines.base import daemon_error
from netsim.docker.imagecommands import ImageCommands
from netsim.docker.imagestore import ImageNotLocal, normalise_reference
from netsim.docker.model import Container, Network
from netsim.docker.ports import (
    PortMapping,
    expose_not_simulated,
    parse_expose,
    parse_port_proto,
    parse_publish,
)
from netsim.docker.registry import RegistryDial
from netsim.errors import DockerError
from netsim.results.run import TypedCommand
from netsim.scenario.compose import ComposeFile

FLAG_ERRORS = (
    "unknown flag",
    "unknown shorthand flag",
    "flag needs an argument",
    "invalid argument",
)


@dataclass(frozen=True, slots=True)
class CommandOutput:
    """What a command printed and how it exited."""

    exit_code: int
    stdout: str = ""
    stderr: str = ""
    session: tuple[TypedCommand, ...] | None = None
    """The lines typed in an interactive session and what each printed (``session:``)."""


# What a command netsim knows exists but does not model exits with: sysexits.h's
# EX_UNAVAILABLE, which neither docker (1, 125-127) nor a shell (1, 2, 126, 127)
# uses, so a reader of the JSON can tell "not simulated" from a real failure.
NOT_SIMULATED_EXIT_CODE = 69


def not_simulated(what: str) -> CommandOutput:
    """Return netsim's answer for a real command it does not model (``docker stats``)."""
    return CommandOutput(NOT_SIMULATED_EXIT_CODE, "", f"netsim: '{what}' is not simulated\n")


# How dash begins an error about the line it read (``sh: 1: ip: not found``).
_DASH_LINE_ONE = re.compile(r"^(sh|dash): 1: ", re.MULTILINE)

# A container whose process is one of these ends as soon as it has run.
_SHELLS = frozenset({"sh", "ash", "bash"})
_ONE_SHOT = frozenset({"echo", "true", "false", "env", "hostname"})

# Runs a command line inside a container (for exec and attached run): argv -> output.
ContainerExec = Callable[[Container, list[str], list[str]], CommandOutput]


@dataclass(slots=True)
class DockerClient(ImageCommands):
    """The docker command of the host, talking to one daemon."""

    daemon: Daemon
    execute_in: ContainerExec
    # The Compose files on the host and the shell's working directory (docker compose).
    compose_files: tuple[ComposeFile, ...] = ()
    workdir: str = "/"

    host_files: dict[str, str] = field(default_factory=dict)
    """The host's files the CLI reads and writes (save -o, load -i, export -o, import)."""
    stdin: str = ""
    """What the command reads on its standard input (``docker load < FILE``)."""
    typed: tuple[str, ...] | None = None
    """The lines typed on the terminal of an ``-it`` command (a step's ``session:``)."""
    dial: RegistryDial | None = None
    """How the daemon connects to a registry over the network (set by whoever builds the world)."""

    def run_session(self, argv: list[str], typed: tuple[str, ...]) -> CommandOutput:
        """Run ``docker exec -it``/``docker run -it`` on a terminal and type ``typed`` into it."""
        self.typed = typed
        try:
            return self.run(argv)
        finally:
            self.typed = None

    def run(self, argv: list[str], stdin: str = "") -> CommandOutput:
        """Run ``docker ARGS...`` (reading STDIN) and return what the CLI prints."""
        self.stdin = stdin
        if len(argv) > 1 and argv[1] == "compose":
            return self._compose(argv[2:])
        try:
            path, typed = command_path(argv)
        except UsageError as error:
            return self._usage_error(error, "")
        if typed in self.daemon.profile.cli_lacks_aliases:
            return CommandOutput(1, "", self.daemon.profile.unknown_command_error(typed))
        handler = getattr(self, "_cmd_" + path.replace(" ", "_"), None)
        if handler is None and argv[-1] == path:
            # `docker network` alone: the CLI prints the command's help (status 0).
            help_text = self.daemon.profile.management_help(path)
            if help_text is not None:
                return CommandOutput(0, "", help_text)
        if handler is None:
            if is_docker_command(path):
                return not_simulated(f"docker {typed}")
            if path.split()[0] not in DOCKER_COMMANDS or " " in path:
                # No such command, or no such subcommand of a management command.
                return CommandOutput(1, "", self.daemon.profile.unknown_command_error(path))
        try:
            command = parse_docker(argv, self.daemon.profile.cli_lacks_flags)
        except UsageError as error:
            return self._usage_error(error, typed)
        if handler is None:
            return not_simulated(f"docker {typed}")
        result: CommandOutput = handler(command)
        return result

    def _compose(self, argv: list[str]) -> CommandOutput:
        """Run ``docker compose ...`` (the Compose v2 CLI plugin)."""
        from netsim.docker.compose import ComposeClient

        def execute(container: Container, words: list[str], env: list[str]) -> tuple[int, str, str]:
            done = self.execute_in(container, words, env)
            return done.exit_code, done.stdout, done.stderr

        client = ComposeClient(self.daemon, self.compose_files, self.workdir, execute)
        done = client.run(argv)
        return CommandOutput(done.exit_code, "".join(done.stdout), "".join(done.stderr))

    def _lookup_error(self, error: DockerError) -> str:
        """Return how the CLI reports a missing container it looked up itself.

        CLI 20.10's port, exec and rm print ``Error: No such container: X``;
        CLI 28 passes the daemon's answer on.
        """
        return self.daemon.profile.lookup_error(error.message)

    def _usage_error(self, error: UsageError, typed: str) -> CommandOutput:
        """Return the CLI's refusal of a command line it could not parse.

        ``typed`` is the words that named the command (``container create``),
        "" when the line has no command yet: cobra names the command it
        reached, by that command's own name (``container ps`` is ``container ls``).
        """
        words = cobra_name(typed) if typed else error.command
        name = f"docker {words}".strip()
        # Cobra's flag errors are the CLI's status 125 in every command.
        flag_error = error.message.startswith(FLAG_ERRORS)
        code = 125 if error.command in ("run", "create") or flag_error else 1
        usage = usage_line(error.command, typed or error.command)
        return CommandOutput(code, "", self.daemon.profile.usage_error(name, error.message, usage))

    # -- containers -----------------------------------------------------------
    def _request(self, command: DockerCommand) -> ContainerRequest:
        ipv4 = _ipv4_arg(command.value("ip"))
        entrypoint_text = command.value("entrypoint")
        normalize = self.daemon.profile.cli_normalizes_capabilities
        cap_add = capabilities_sent(command.values("cap-add"), normalize)
        cap_drop = capabilities_sent(command.values("cap-drop"), normalize)
        return ContainerRequest(
            image=command.args[0],
            name=command.value("name"),
            command=command.args[1:],
            entrypoint=(entrypoint_text,) if entrypoint_text else None,
            env=tuple(command.values("env")),
            hostname=command.value("hostname"),
            publish=tuple(standard_publish(spec) for spec in command.values("publish")),
            publish_all=command.flag("publish-all"),
            expose=tuple(command.values("expose")),
            links=tuple(command.values("link")),
            network=command.value("network"),
            aliases=tuple(command.values("network-alias")),
            ipv4_address=ipv4,
            auto_remove=command.flag("rm"),
            detached=command.flag("detach"),
            stdin_open=command.flag("interactive"),
            tty=command.flag("tty"),
            cap_add=cap_add,
            cap_drop=cap_drop,
            privileged=command.flag("privileged"),
        )

    def _missing_args(self, command: DockerCommand, count: ArgumentCount) -> CommandOutput:
        """Return the CLI's answer to a wrong number of arguments (exit 1)."""
        error = self.daemon.profile.missing_args_error(
            command.typed_name, count, command.usage, command.summary
        )
        return CommandOutput(1, "", error)

    def _pull_missing(self, command: DockerCommand) -> str:
        """Pull a run/create's image from a registry container when it is not local.

        Returns what the CLI prints on stderr for it ("Unable to find image"
        and the pull's progress), or "" when nothing was pulled.
        """
        if not command.args:
            return ""
        reference = command.args[0]
        try:
            self.daemon.image_spec(reference)
            return ""
        except DockerError:
            pass
        fetched = self.pull_for_run(reference)
        if fetched is None:
            return ""
        return f"Unable to find image '{normalise_reference(reference)}' locally\n{fetched}"

    def _cmd_run(self, command: DockerCommand) -> CommandOutput:
        # The CLI counts the arguments, then parses the request, before it pulls anything.
        refused = self._refused_by_cli(command) if command.args else None
        if refused is not None:
            return refused
        note = self._pull_missing(command)
        output = self._run_container(command)
        return replace(output, stderr=note + output.stderr) if note else output

    def _cmd_create(self, command: DockerCommand) -> CommandOutput:
        refused = self._refused_by_cli(command) if command.args else None
        if refused is not None:
            return refused
        note = self._pull_missing(command)
        output = self._create_container(command)
        return replace(output, stderr=note + output.stderr) if note else output

    def _run_container(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        profile = self.daemon.profile
        mode = command.value("network") or "default"
        warnings = ""
        if mode == "host" and command.values("publish"):
            warnings = "WARNING: Published ports are discarded when using host network mode\n"
        session = command.flag("interactive") and command.flag("tty")
        if session and self.typed is None:
            # A replay's standard input is not a terminal (checked on both engines).
            return CommandOutput(1, "", "the input device is not a TTY\n")
        try:
            container = self.daemon.create_container(self._request(command))
        except ImageNotLocal as error:
            pulled = self.pull_error(error.reference)
            return CommandOutput(
                125,
                "",
                f"{error.message}\n" + profile.run_error(pulled, at_create=True, command="run"),
            )
        except DockerError as error:
            # run reports the daemon's refusal as its own failure (status 125).
            message = daemon_error(error.message)
            return CommandOutput(125, "", profile.run_error(message, at_create=True, command="run"))
        shell = list(container.command_line)
        if session and (len(shell) != 1 or shell[0].rsplit("/", 1)[-1] not in _SHELLS):
            # Only a shell is typed into; leave no container behind.
            self.daemon.remove_container(container, force=True)
            return not_simulated(f"a session in {' '.join(shell) or 'no command'}")
        detached = command.flag("detach")
        try:
            self.daemon.start_container(container)
        except DockerError as error:
            if container.auto_remove:
                self.daemon.remove_container(container, force=True)
            stderr = profile.run_error(daemon_error(error.message), at_create=False, command="run")
            # With --rm the CLI waits for the removal instead, and logs nothing
            # (20.10, checked in container-toolsets).
            if not detached and not container.auto_remove:
                stderr += profile.wait_cancelled_note(self.daemon.now_seconds())
            # With -d the CLI has printed the new ID before it asks for the start.
            return CommandOutput(error.exit_code, container.id + "\n" if detached else "", stderr)
        if detached:
            self._settle(container)
            return CommandOutput(0, container.id + "\n", warnings)
        if session:
            # The foreground shell is the container's process: it ends with the session.
            output = self._session(container, list(container.command_line), [])
            self.daemon.stop_container(container, exit_code=output.exit_code)
            return replace(output, stderr=warnings + output.stderr)
        if command.args[1:]:
            output = self.execute_in(container, list(command.args[1:]), [])
            self.daemon.stop_container(container, exit_code=output.exit_code)
            return output
        self._settle(container)
        return CommandOutput(0, "")

    def _create_container(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        try:
            container = self.daemon.create_container(self._request(command))
        except ImageNotLocal as error:
            pulled = self.pull_error(error.reference)
            return CommandOutput(1, "", f"{error.message}\n{pulled}\n")
        except DockerError as error:
            # Unlike run, create passes the daemon's refusal on as any command
            # does: status 1, no "docker:" prefix, no help line (20.10 and 28.5,
            # scenarios/create-errors).
            return CommandOutput(1, "", f"{daemon_error(error.message)}\n")
        return CommandOutput(0, container.id + "\n")

    def _refused_by_cli(self, command: DockerCommand) -> CommandOutput | None:
        """Return the CLI's own refusal of a run or create request's options, else None.

        run and create share the CLI's parse of the request, before anything
        reaches the daemon; what it refuses is status 125 for both, with the
        command's own help hint (scenarios/create-errors).
        """
        profile = self.daemon.profile
        name = command.path

        def refuse(message: str) -> CommandOutput:
            return CommandOutput(125, "", profile.run_error(message, at_create=True, command=name))

        mode = command.value("network") or "default"
        if profile.cli_refuses_aliases_off_user_networks and command.values("network-alias"):
            if mode in ("default", "bridge", "host", "none") or ":" in mode:
                # CLI 28 refuses this; 20.10 leaves it to the daemon.
                return refuse("network-scoped aliases are only supported for user-defined networks")
        try:
            for spec in command.values("publish"):
                parse_publish(standard_publish(spec))
            for spec in command.values("expose"):
                parse_expose(spec)
        except DockerError as error:
            return refuse(error.message)
        for spec in command.values("expose"):
            if expose_not_simulated(spec):
                return not_simulated(f"docker {name} --expose {spec}")
        if (
            profile.cli_refuses_links_in_special_modes
            and command.values("link")
            and (mode in ("host", "none") or mode.startswith("container:"))
        ):
            # CLI 20.10 refuses this; 28 leaves it to the daemon.
            return refuse("links are only supported for user-defined networks")
        return None

    def _each_container(
        self,
        command: DockerCommand,
        action: Callable[[Container], None],
        failure: str,
        prefix: str = "",
    ) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        out: list[str] = []
        errors: list[str] = []
        failed: list[str] = []
        for ref in command.args:
            try:
                container = self.daemon.find_container(ref)
                try:
                    action(container)
                except DockerError as error:
                    if prefix:
                        # The daemon names what it was asked to do, by the name typed.
                        raise DockerError(f"{prefix} {ref}: {error.message}") from None
                    raise
            except DockerError as error:
                errors.append(daemon_error(error.message))
                failed.append(ref)
                continue
            out.append(ref)
        stderr = "".join(e + "\n" for e in errors)
        if failure and failed:
            stderr += f"Error: failed to {failure} containers: {', '.join(failed)}\n"
        code = 1 if errors else 0
        return CommandOutput(code, "".join(r + "\n" for r in out), stderr)

    def _cmd_start(self, command: DockerCommand) -> CommandOutput:
        def start(container: Container) -> None:
            self.daemon.start_container(container)
            self._settle(container)

        return self._each_container(command, start, "start")

    def _settle(self, container: Container) -> None:
        """Let a started container's process run to its end if it ends at once.

        A shell without ``-i`` or ``-t`` reads an empty input and exits 0, as
        ``docker run -d ubuntu`` does; ``sh -c LINE`` and the one-shot
        programs netsim models run their course. Everything else keeps running.
        """
        argv = list(container.command_line)
        if not argv or container.listens:
            return
        program = argv[0].rsplit("/", 1)[-1]
        if program in _SHELLS and "-c" not in argv[1:2]:
            if container.stdin_open or container.tty:
                return
            output = CommandOutput(0)
        elif program in _SHELLS or program in _ONE_SHOT:
            output = self.execute_in(container, argv, [])
            if output.exit_code == NOT_SIMULATED_EXIT_CODE:
                return
        else:
            return
        self.daemon.stop_container(container, exit_code=output.exit_code)

    def _cmd_stop(self, command: DockerCommand) -> CommandOutput:
        return self._each_container(command, self._stop, "")

    def _stop(self, container: Container) -> None:
        self.daemon.stop_container(container, exit_code=self._stop_code(container))

    @staticmethod
    def _stop_code(container: Container) -> int:
        # A service from the catalog exits cleanly on SIGTERM; a bare `sleep`
        # or a shell as PID 1 ignores it and is killed after the timeout (137).
        line = container.command_line
        if line and line[0].rsplit("/", 1)[-1] in _SHELLS:
            return 137
        return 0 if container.listens or container.cmd == container.image.command else 137

    def _cmd_restart(self, command: DockerCommand) -> CommandOutput:
        def restart(container: Container) -> None:
            # A --rm container is kept across a restart.
            self.daemon.stop_container(
                container, exit_code=self._stop_code(container), restarting=True
            )
            self.daemon.start_container(container)

        return self._each_container(command, restart, "", "Cannot restart container")

    def _cmd_kill(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        out: list[str] = []
        errors: list[str] = []
        for ref in command.args:
            try:
                container = self.daemon.find_container(ref)
                if not container.running:
                    raise DockerError(f"Container {container.id} is not running")
                self.daemon.stop_container(container, exit_code=137)
            except DockerError as error:
                errors.append(daemon_error(self.daemon.profile.kill_error(ref, error.message)))
                continue
            out.append(ref)
        return CommandOutput(
            1 if errors else 0, "".join(r + "\n" for r in out), "".join(e + "\n" for e in errors)
        )

    def _cmd_rm(self, command: DockerCommand) -> CommandOutput:
        force = command.flag("force")
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        out: list[str] = []
        errors: list[str] = []
        # The CLI prints a missing container's error at once under -f, and the
        # errors that fail the command together at the end.
        printed: list[str] = []
        for ref in command.args:
            try:
                container = self.daemon.find_container(ref)
            except DockerError as error:
                if force and error.status == 404:
                    # `rm -f` prints a missing container's error but does not
                    # fail for it (both CLIs: `docker rm -f nosuch` exits 0).
                    printed.append(self._lookup_error(error))
                else:
                    errors.append(self._lookup_error(error))
                continue
            try:
                self.daemon.remove_container(container, force=force)
            except DockerError as error:
                errors.append(daemon_error(error.message))
                continue
            out.append(ref)
        stderr = "".join(e + "\n" for e in printed + errors)
        return CommandOutput(1 if errors else 0, "".join(r + "\n" for r in out), stderr)

    def _cmd_rename(self, command: DockerCommand) -> CommandOutput:
        """Run ``docker rename CONTAINER NEW_NAME`` (both CLIs print the same)."""
        count = ArgumentCount(2, 2)
        if not count.accepts(len(command.args)):
            return self._missing_args(command, count)
        old, new = (arg.strip() for arg in command.args)
        if not old or not new:
            return CommandOutput(1, "", "Error: Neither old nor new names may be empty\n")
        try:
            self.daemon.rename_container(old, new)
        except DockerError as error:
            # The daemon's answer, then the CLI's own line (cli/command/container/rename.go).
            stderr = (
                f"{daemon_error(error.message)}\nError: failed to rename container named {old}\n"
            )
            return CommandOutput(1, "", stderr)
        return CommandOutput(0)

    def _cmd_port(self, command: DockerCommand) -> CommandOutput:
        count = ArgumentCount(1, 2)
        if not count.accepts(len(command.args)):
            return self._missing_args(command, count)
        try:
            container = self.daemon.find_container(command.args[0])
        except DockerError as error:
            return CommandOutput(1, "", self._lookup_error(error) + "\n")
        mappings = container.ports
        if len(command.args) > 1:
            typed = command.args[1]
            port_text, proto = parse_port_proto(typed)
            selected = [
                m for m in mappings if str(m.container_port) == port_text and m.proto == proto
            ]
            if not selected:
                return CommandOutput(
                    1,
                    "",
                    self.daemon.profile.no_public_port_error(
                        typed, port_text, proto, command.args[0]
                    )
                    + "\n",
                )
            return CommandOutput(0, "".join(self._host_binding(m) + "\n" for m in selected))
        lines = [f"{m.key} -> {self._host_binding(m)}" for m in mappings]
        if self.daemon.profile.sorts_port_listing:
            lines = _natural_sorted(lines)
        return CommandOutput(0, "".join(line + "\n" for line in lines))

    def _host_binding(self, mapping: PortMapping) -> str:
        return self.daemon.profile.join_host_port(str(mapping.host_ip), str(mapping.host_port))

    def _cmd_ps(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.formatting import FormatError, format_ps

        if command.args:
            return self._missing_args(command, ArgumentCount(0, 0))

        show_all = command.flag("all")
        containers = [c for c in reversed(self.daemon.containers) if show_all or c.running]
        if command.flag("quiet"):
            return CommandOutput(0, "".join(c.short_id + "\n" for c in containers))
        try:
            return CommandOutput(0, format_ps(containers, self.daemon, command.value("format")))
        except FormatError as error:
            return CommandOutput(1, "", f"{error}\n")

    def _cmd_inspect(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        # Imported here, as the Go templates: most runs never inspect, and start faster.
        from netsim.docker.inspect import container_inspect, network_inspect

        objects: list[Any] = []
        errors: list[str] = []
        for ref in command.args:
            try:
                objects.append(container_inspect(self.daemon, self.daemon.find_container(ref)))
                continue
            except DockerError:
                pass
            # dockerd's inspect tries a container, then an image, then a network.
            try:
                image = self.daemon.image_store.find(ref)
            except DockerError:
                image = None
            if image is not None:
                objects.append(self.image_inspect(image))
                continue
            try:
                objects.append(network_inspect(self.daemon, self.daemon.find_network(ref)))
            except DockerError:
                errors.append(f"Error: No such object: {ref}")
        return self._print_objects(objects, errors, command.value("format"))

    def _print_objects(
        self, objects: list[Any], errors: list[str], template: str | None
    ) -> CommandOutput:
        from netsim.gotemplate import TemplateError, parse_template, render_inspect

        if template:
            try:
                parsed = parse_template(template)
            except TemplateError as error:
                return CommandOutput(64, "", f"template parsing error: {error}\n")
            # With a template and nothing found the CLI still ends its (empty) output.
            out = "" if objects else "\n"
            for obj in objects:
                try:
                    out += (
                        render_inspect(
                            parsed,
                            obj,
                            range_over_int=self.daemon.profile.template_range_over_int,
                        )
                        + "\n"
                    )
                except TemplateError as error:
                    # The CLI has written the element's line break before it fails.
                    return CommandOutput(1, out + "\n", f"template parsing error: {error}\n")
        else:
            out = _indent_json(objects) + "\n" if objects or not errors else "[]\n"
        stderr = "".join(e + "\n" for e in errors)
        return CommandOutput(1 if errors else 0, out, stderr)

    def _cmd_exec(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) < 2:
            return self._missing_args(command, ArgumentCount(2, None))
        try:
            container = self.daemon.find_container(command.args[0])
        except DockerError as error:
            return CommandOutput(1, "", self._lookup_error(error) + "\n")
        if not container.running:
            return CommandOutput(
                1, "", daemon_error(self.daemon.profile.exec_not_running_error(container)) + "\n"
            )
        if command.flag("interactive") and command.flag("tty"):
            if self.typed is None:
                return CommandOutput(1, "", "the input device is not a TTY\n")
        try:
            for link in container.links:
                self.daemon.check_link_running(container, link)
        except DockerError as error:
            return CommandOutput(1, "", daemon_error(error.message) + "\n")
        if command.flag("interactive") and command.flag("tty"):
            return self._session(container, list(command.args[1:]), command.values("env"))
        return self.execute_in(container, list(command.args[1:]), command.values("env"))

    def _session(self, container: Container, shell: list[str], env: list[str]) -> CommandOutput:
        """Type the session's lines into SHELL in CONTAINER, as a terminal shows them.

        Each line runs as ``SHELL -c LINE`` (netsim keeps no shell state between
        lines: variables and ``cd`` do not carry over). With a TTY the shell's
        output and errors reach one screen, so the step's standard output is
        the screen: the prompt, the line typed, what it printed. The session
        ends at ``exit [N]`` or, at the end of the lines, as Ctrl-D does; its
        exit code is N, or the last line's status.
        """
        from netsim.docker.images import image_toolset
        from netsim.docker.prompts import shell_prompt

        typed = self.typed or ()
        if len(shell) != 1 or shell[0].rsplit("/", 1)[-1] not in _SHELLS:
            return not_simulated(f"a session in {' '.join(shell) or 'no shell'}")
        started = self.execute_in(container, shell, env)
        if started.exit_code != 0:
            # The shell is missing: runc's error, on the terminal (no session ran).
            return CommandOutput(started.exit_code, started.stdout + started.stderr, "", ())
        program = shell[0].rsplit("/", 1)[-1]
        debian = not image_toolset(container.image).busybox
        prompt = shell_prompt(container.image.name, program, container.hostname, debian=debian)
        bash = program == "bash"
        screen: list[str] = []
        records: list[TypedCommand] = []
        status = 0
        for line in typed:
            screen.append(prompt + line + "\n")
            words = line.split()
            if words[:1] == ["exit"] and (len(words) == 1 or words[1].isdigit()):
                code = int(words[1]) % 256 if len(words) > 1 else status
                # bash says "exit" as it leaves; ash and dash say nothing.
                out = "exit\n" if bash else ""
                screen.append(out)
                records.append(TypedCommand(line, out, code))
                return CommandOutput(code, "".join(screen), "", tuple(records))
            # A line typed at the prompt is read by an interactive shell.
            done = self.execute_in(container, [shell[0], "-i", "-c", line], env)
            status = done.exit_code
            out = done.stdout + done.stderr
            if not bash:
                # dash numbers the input line it stops at: the session's Nth line
                # (ash prints no number, so nothing matches).
                out = _DASH_LINE_ONE.sub(rf"\g<1>: {len(records) + 1}: ", out)
            screen.append(out)
            records.append(TypedCommand(line, out, status))
        # Ctrl-D on an empty line: bash prints "exit", ash and dash end the line.
        screen.append(prompt + ("exit\n" if bash else "\n"))
        return CommandOutput(status, "".join(screen), "", tuple(records))

    # -- networks --------------------------------------------------------------
    def _cmd_network_create(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) != 1:
            return self._missing_args(command, ArgumentCount(1, 1))
        try:
            subnet = _network_arg(command.value("subnet"))
            ip_range = _network_arg(command.value("ip-range"))
            gateway_text = command.value("gateway")
            gateway = IPv4Address(gateway_text) if gateway_text else None
        except (DockerError, ValueError) as error:
            message = error.message if isinstance(error, DockerError) else str(error)
            return CommandOutput(1, "", daemon_error(message) + "\n")
        # The CLI pairs --gateway and --ip-range with a --subnet itself.
        if subnet is None and (gateway is not None or ip_range is not None):
            return CommandOutput(
                1, "", "every ip-range or gateway must have a corresponding subnet\n"
            )
        if subnet is not None and gateway is not None and gateway not in subnet:
            return CommandOutput(1, "", f"no matching subnet for gateway {gateway}\n")
        if subnet is not None and ip_range is not None and not ip_range.subnet_of(subnet):
            return CommandOutput(1, "", f"no matching subnet for range {ip_range}\n")
        try:
            # The CLI's map options keep a key without '=' with an empty value.
            options = dict(_key_value(o) for o in command.values("opt"))
            labels = dict(_key_value(o) for o in command.values("label"))
            network = self.daemon.create_network(
                command.args[0],
                driver=command.value("driver") or "bridge",
                subnet=subnet,
                gateway=gateway,
                ip_range=ip_range,
                internal=command.flag("internal"),
                options=options,
                labels=labels,
                attachable=command.flag("attachable"),
            )
        except (DockerError, ValueError) as error:
            message = error.message if isinstance(error, DockerError) else str(error)
            return CommandOutput(1, "", daemon_error(message) + "\n")
        return CommandOutput(0, network.id + "\n")

    def _cmd_network_ls(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.formatting import format_network_ls

        if command.args:
            return self._missing_args(command, ArgumentCount(0, 0))

        # The CLI sorts by name naturally (net2 before net11).
        networks = sorted(self.daemon.networks, key=lambda n: _natural_key(n.name))
        filters = command.values("filter")
        for text in filters:
            key, equals, _ = text.partition("=")
            if not equals:
                return self._usage_error(
                    UsageError(
                        f'invalid argument "{text}" for "-f, --filter" flag: '
                        "bad format of filter (expected name=value)",
                        "network ls",
                    ),
                    "network ls",
                )
            if key not in NETWORK_FILTERS:
                message = self.daemon.profile.invalid_filter_error(key)
                return CommandOutput(1, "", daemon_error(message) + "\n")
        networks = [n for n in networks if _network_matches(n, filters)]
        if command.flag("quiet"):
            return CommandOutput(0, "".join(n.short_id + "\n" for n in networks))
        from netsim.docker.formatting import FormatError

        try:
            listing = format_network_ls(
                networks,
                command.value("format"),
                command.flag("no-trunc"),
                range_over_int=self.daemon.profile.template_range_over_int,
            )
        except FormatError as error:
            return CommandOutput(1, "", f"{error}\n")
        return CommandOutput(0, listing)

    def _cmd_network_inspect(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        from netsim.docker.inspect import network_inspect

        objects: list[Any] = []
        errors: list[str] = []
        for ref in command.args:
            try:
                objects.append(network_inspect(self.daemon, self.daemon.find_network(ref)))
            except DockerError as error:
                errors.append(self.daemon.profile.network_lookup_error(ref, error.message))
        return self._print_objects(objects, errors, command.value("format"))

    def _cmd_network_connect(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) != 2:
            return self._missing_args(command, ArgumentCount(2, 2))
        try:
            network = self.daemon.find_network(command.args[0])
            container = self.daemon.find_container(command.args[1])
            ip_text = command.value("ip")
            self.daemon.connect(
                network,
                container,
                aliases=tuple(command.values("alias")),
                ipv4_address=_ipv4_arg(ip_text),
            )
        except DockerError as error:
            return CommandOutput(1, "", daemon_error(error.message) + "\n")
        return CommandOutput(0)

    def _cmd_network_disconnect(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) != 2:
            return self._missing_args(command, ArgumentCount(2, 2))
        try:
            network = self.daemon.find_network(command.args[0])
            container = self.daemon.find_container(command.args[1])
            self.daemon.disconnect(network, container)
        except DockerError as error:
            return CommandOutput(1, "", daemon_error(error.message) + "\n")
        return CommandOutput(0)

    def _cmd_network_rm(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._missing_args(command, ArgumentCount(1, None))
        out: list[str] = []
        errors: list[str] = []
        for ref in command.args:
            try:
                network = self.daemon.find_network(ref)
            except DockerError as error:
                if not command.flag("force"):  # -f (28.5): a missing network is no failure
                    errors.append(self.daemon.profile.network_lookup_error(ref, error.message))
                continue
            try:
                self.daemon.remove_network(network)
            except DockerError as error:
                errors.append(daemon_error(error.message))
                continue
            out.append(ref)
        if errors and self.daemon.profile.network_rm_reports_exit_status:
            # CLI 28 reports the failed removals and then its own status error.
            errors.append("exit status 1")
        return CommandOutput(
            1 if errors else 0, "".join(r + "\n" for r in out), "".join(e + "\n" for e in errors)
        )


NETWORK_FILTERS = ("driver", "name", "id", "type", "label", "scope")
BUILTIN_NETWORKS = ("bridge", "host", "none")


def _network_matches(network: Network, filters: list[str]) -> bool:
    """Return whether a network passes ``network ls --filter`` KEY=VALUEs (checked already).

    Values of one key are ORed, keys ANDed.
    """
    wanted: dict[str, list[str]] = {}
    for text in filters:
        key, _, value = text.partition("=")
        wanted.setdefault(key, []).append(value)
    return all(
        any(_network_filter(network, key, value) for value in values)
        for key, values in wanted.items()
    )


def _network_filter(network: Network, key: str, value: str) -> bool:
    """Return whether a network passes one ``KEY=VALUE`` filter of ``network ls``."""
    if key == "driver":
        return network.driver == value
    if key == "name":
        return value in network.name
    if key == "id":
        return network.id.startswith(value)
    if key == "type":
        return ("builtin" if network.name in BUILTIN_NETWORKS else "custom") == value
    if key == "scope":
        return value == "local"
    return _label_matches(network.labels, value)


def _label_matches(labels: Mapping[str, str], text: str) -> bool:
    key, equals, value = text.partition("=")
    return key in labels and (not equals or labels[key] == value)


def capabilities_sent(given: list[str], normalize: bool) -> tuple[str, ...] | None:
    """Return ``--cap-add``/``--cap-drop`` values as the CLI sends them; None when none.

    CLI 20.10 sends them as typed. Newer CLIs (28.5) upper-case each and
    prefix ``CAP_`` (ALL stays ALL), and keep a capability both added and
    dropped on both sides (seen in scenarios/container-iptables.yaml).
    """
    names: list[str] = []
    for value in given:
        name = value
        if normalize:
            name = value.strip().upper()
            if name != "ALL" and not name.startswith("CAP_"):
                name = "CAP_" + name
        names.append(name)
    return tuple(names) or None


def standard_publish(spec: str) -> str:
    """Return a ``-p`` value in the short notation, as the CLI rewrites the long syntax.

    ``published=8081,target=80[,protocol=udp]`` → ``8081:80/udp`` (``mode=`` and
    unknown keys are ignored; the protocol defaults to tcp).

    Raises:
        DockerError: a field of the long syntax is not ``name=value``.
    """
    if "=" not in spec:
        return spec
    fields = {"protocol": "tcp"}
    for part in spec.split(","):
        name, equals, value = part.partition("=")
        if not equals:
            raise DockerError(
                f"invalid publish opts format (should be name=value but got '{part}')"
            )
        fields[name] = value
    return f"{fields.get('published', '')}:{fields.get('target', '')}/{fields['protocol']}"


def _key_value(text: str) -> tuple[str, str]:
    key, _, value = text.partition("=")
    return key, value


def _ipv4_arg(text: str | None) -> IPv4Address | None:
    """Parse an ``--ip`` value, refusing what is not an IPv4 address as dockerd does."""
    if not text:
        return None
    try:
        return IPv4Address(text)
    except ValueError:
        raise DockerError(f"invalid IPv4 address: {text}") from None


def _network_arg(text: str | None) -> IPv4Network | None:
    if not text:
        return None
    try:
        network = ip_network(text, strict=False)
    except ValueError:
        raise DockerError(f"invalid CIDR address: {text}") from None
    if not isinstance(network, IPv4Network):
        raise DockerError(f"invalid CIDR address: {text}")
    return network


def _natural_key(text: str) -> list[object]:
    import re

    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _natural_sorted(lines: list[str]) -> list[str]:
    return sorted(lines, key=_natural_key)


def _plain(value: Any) -> Any:
    """Return a Go-modelled value as plain JSON data (sorted maps, omitempty, nil)."""
    from netsim.gotemplate import GoMap, GoNil, GoStruct

    if isinstance(value, GoNil) or value is None:
        return None
    if isinstance(value, GoMap):
        return {key: _plain(value[key]) for key in sorted(value)}
    if isinstance(value, dict):
        omit = value.omitempty if isinstance(value, GoStruct) else frozenset()
        return {
            key: _plain(item)
            for key, item in value.items()
            if not (key in omit and _plain(item) in (None, "", 0, False, [], {}))
        }
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _indent_json(value: Any) -> str:
    """Return JSON as the docker CLI prints inspect output (json.MarshalIndent, 4 spaces).

    Go escapes <, > and & in strings as \\u003c, \\u003e and \\u0026.
    """
    text = json.dumps(_plain(value), indent=4, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


__all__ = ["NOT_SIMULATED_EXIT_CODE", "CommandOutput", "DockerClient", "not_simulated"]
