"""A minimal ``docker build``: the legacy builder of both engines, Dockerfile on stdin.

What it prints is what 20.10.24 and 28.5.2 print for ``docker build -t REF -
< Dockerfile`` (checked with ``python -m netsim.verify run``): a step per
instruction, an intermediate container per step (started only for ``RUN``,
whose output shows), an image per step with its history line. It reads FROM,
LABEL, ENV, EXPOSE, CMD, ENTRYPOINT and RUN; anything else, a build context
directory, or a RUN that fails is not simulated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from netsim.docker.imagestore import ImageConfig, ImageNotLocal, normalise_reference
from netsim.errors import DockerError
from netsim.scenario.words import split_words

if TYPE_CHECKING:
    from netsim.docker.client import CommandOutput, DockerClient

# What the CLI says it sent when the Dockerfile comes on stdin (no context).
STDIN_CONTEXT_SIZE = "2.048kB"
READ_INSTRUCTIONS = frozenset({"FROM", "LABEL", "ENV", "EXPOSE", "CMD", "ENTRYPOINT", "RUN"})


class NotModelled(Exception):
    """The Dockerfile or build uses what this model does not read."""


@dataclass(frozen=True, slots=True)
class Instruction:
    """One Dockerfile line: its keyword, its arguments and the text the step line shows."""

    keyword: str
    arguments: str
    text: str


def read_dockerfile(text: str) -> list[Instruction]:
    """Read a Dockerfile's instructions (comments and blank lines skipped).

    Raises:
        NotModelled: an instruction outside FROM LABEL ENV EXPOSE CMD ENTRYPOINT RUN,
            a line continuation, or a FROM that is not first.
    """
    found: list[Instruction] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            raise NotModelled
        keyword, _, arguments = line.partition(" ")
        word = keyword.upper()
        if word not in READ_INSTRUCTIONS or (word == "FROM") != (not found):
            raise NotModelled
        found.append(Instruction(word, arguments.strip(), line))
    if not found:
        raise NotModelled
    return found


def _exec_form(arguments: str) -> tuple[str, ...]:
    if arguments.startswith("["):
        try:
            return tuple(str(word) for word in json.loads(arguments))
        except (ValueError, TypeError):
            pass
    return ("/bin/sh", "-c", arguments)


def _nop(instruction: Instruction, value: tuple[str, ...] | None = None) -> str:
    """Return the history line of a metadata instruction (``#(nop)``, two spaces)."""
    if value is not None:
        quoted = " ".join(json.dumps(word) for word in value)
        return f"/bin/sh -c #(nop)  {instruction.keyword} [{quoted}]"
    return f"/bin/sh -c #(nop)  {instruction.keyword} {instruction.arguments}"


def build(client: DockerClient, dockerfile: str, tag: str | None) -> CommandOutput:
    """Build an image from DOCKERFILE's text as the legacy builder does; tag it TAG."""
    from netsim.docker.client import CommandOutput, not_simulated
    from netsim.docker.daemon import ContainerRequest

    daemon = client.daemon
    profile = daemon.profile
    store = daemon.image_store
    banner = profile.legacy_builder_banner
    try:
        instructions = read_dockerfile(dockerfile)
    except NotModelled:
        return not_simulated("docker build")
    # The CLI's progress line ends with two carriage returns before its newline.
    out = [f"Sending build context to Docker daemon  {STDIN_CONTEXT_SIZE}\r\r"]
    total = len(instructions)
    base_reference = instructions[0].arguments
    out.append(f"Step 1/{total} : {instructions[0].text}")
    try:
        image = store.find(base_reference)
        if image is None:
            daemon.image_spec(base_reference)
            image = store.find(base_reference)
    except ImageNotLocal:
        return CommandOutput(1, _lines(out), banner + client.pull_error(base_reference, bare=True))
    if image is None:
        return not_simulated("docker build")
    out.append(f" ---> {store.image_id(image)[:12]}")
    for number, instruction in enumerate(instructions[1:], start=2):
        out.append(f"Step {number}/{total} : {instruction.text}")
        created_by = _nop(instruction)
        cmd, entrypoint, env = image.cmd, image.entrypoint, image.env
        exposed, labels = image.exposed, dict(image.labels)
        if instruction.keyword in ("CMD", "ENTRYPOINT"):
            words = _exec_form(instruction.arguments)
            if instruction.keyword == "CMD":
                cmd = words
            else:
                entrypoint = words
            created_by = _nop(instruction, words)
        elif instruction.keyword == "ENV":
            key, sep, value = instruction.arguments.partition("=")
            if not sep:
                key, _, value = instruction.arguments.partition(" ")
            env = (*[e for e in env if e.split("=", 1)[0] != key], f"{key}={value}")
        elif instruction.keyword == "EXPOSE":
            ports = [p if "/" in p else f"{p}/tcp" for p in instruction.arguments.split()]
            exposed = tuple(sorted(set(exposed) | set(ports)))
        elif instruction.keyword == "LABEL":
            for item in split_words(instruction.arguments):
                key, _, value = item.partition("=")
                labels[key] = value
        try:
            container = daemon.create_container(
                ContainerRequest(
                    image=f"sha256:{store.image_id(image)}",
                    command=_exec_form(instruction.arguments)
                    if instruction.keyword == "RUN"
                    else ("/bin/sh", "-c", "#(nop) "),
                )
            )
        except DockerError:
            return not_simulated("docker build")
        out.append(f" ---> Running in {container.short_id}")
        if instruction.keyword == "RUN":
            created_by = "/bin/sh -c " + instruction.arguments
            try:
                daemon.start_container(container)
            except DockerError:
                daemon.remove_container(container, force=True)
                return not_simulated("docker build")
            result = client.execute_in(container, list(_exec_form(instruction.arguments)), [])
            daemon.stop_container(container, exit_code=result.exit_code)
            if result.exit_code != 0:
                daemon.remove_container(container, force=True)
                return not_simulated("docker build")
            if result.stdout:
                out.append(result.stdout.rstrip("\n"))
        daemon.remove_container(container, force=True)
        out.append(profile.build_removed_format.format(container.short_id))
        config = ImageConfig(entrypoint, cmd, env, exposed, labels, created_by)
        image = store.derive(image, image.spec, "build", container.id, daemon.clock, config)
        out.append(f" ---> {store.image_id(image)[:12]}")
    short = store.image_id(image)[:12]
    out.append(f"Successfully built {short}")
    if tag is not None:
        store.tag(image, tag)
        out.append(f"Successfully tagged {normalise_reference(tag)}")
    return CommandOutput(0, _lines(out), banner)


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)
