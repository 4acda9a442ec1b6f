"""The scenario checks that need the layers above the loader: engines, images, packets."""

from __future__ import annotations

from netsim.dataplane.packets import parse_layers
from netsim.docker.commandline import UsageError, parse_docker, run_image
from netsim.docker.engines import engine_names
from netsim.docker.images import CATALOG, find_image
from netsim.docker.imagestore import normalise_reference
from netsim.scenario.loader import ScenarioChecks
from netsim.scenario.spec import ImageSpec
from netsim.scenario.words import split_words
from netsim.scenario.yamlsource import quote


def image_problem(
    command: str, images: tuple[ImageSpec, ...], earlier: tuple[str, ...] = ()
) -> str | None:
    """Return why a ``docker run``/``create`` line names an image netsim cannot run, or None.

    An image runs when it is in netsim's catalog, declared under ``images:``,
    or made by an earlier host command (``docker commit``, ``tag``, ``build -t``).
    """
    try:
        argv = split_words(command)
    except ValueError:
        return None
    image = run_image(argv)
    if image is None or find_image(image, images) is not None:
        return None
    if normalise_reference(image) in made_images(earlier):
        return None
    catalog = ", ".join(spec.name for spec in CATALOG)
    return (
        f"unknown image {quote(image)}; use a catalog image ({catalog}) "
        f"or declare it under images:, e.g. images: {{{image}: {{expose: [8000/tcp], "
        "listen: [8000/tcp]}}}}"
    )


def made_images(commands: tuple[str, ...]) -> set[str]:
    """Return the image references (``repo:tag``) that docker commit, tag or build lines make."""
    made: set[str] = set()
    for line in commands:
        for part in line.replace("&&", ";").replace("||", ";").split(";"):
            try:
                argv = split_words(part)
            except ValueError:
                continue
            if argv[:1] != ["docker"]:
                continue
            try:
                parsed = parse_docker(argv)
            except UsageError:
                continue
            if parsed.path in ("commit", "tag") and len(parsed.args) == 2:
                made.add(normalise_reference(parsed.args[1]))
            elif parsed.path == "build" and parsed.value("tag"):
                made.add(normalise_reference(parsed.value("tag") or ""))
    return made


# The shells a session can type into (busybox ash, dash, bash), by name or path.
SESSION_SHELLS = frozenset({"sh", "ash", "bash"})


def session_problem(command: str) -> str | None:
    """Return why ``session:`` cannot follow ``command``, or None when it can.

    A session types into the shell that ``docker exec -it NAME SHELL`` or
    ``docker run -it ... IMAGE [SHELL]`` starts.
    """
    example = "expected docker exec -it NAME sh (or bash) or docker run -it IMAGE sh"
    try:
        argv = split_words(command)
        parsed = parse_docker(argv) if argv[:1] == ["docker"] else None
    except (ValueError, UsageError):
        parsed = None
    if parsed is None or parsed.path not in ("exec", "run"):
        return f"a session follows a command that starts an interactive shell; {example}"
    if not (parsed.flag("interactive") and parsed.flag("tty")):
        return (
            f"a session needs -it (an interactive shell on a terminal); {example}, "
            f"not {quote(command)}"
        )
    if parsed.flag("detach"):
        return (
            "-d detaches: the shell gets no terminal and nothing is typed into it; "
            "remove -d or session:"
        )
    shell = parsed.args[1:]
    if parsed.path == "exec" and not shell:
        return f"docker exec needs a container and a shell; {example}"
    if shell and (len(shell) != 1 or shell[0].rsplit("/", 1)[-1] not in SESSION_SHELLS):
        return (
            f"a session types into a shell (sh, ash or bash without arguments), "
            f"not {quote(' '.join(shell))}"
        )
    return None


SCENARIO_CHECKS = ScenarioChecks(
    engines=engine_names(),
    image_problem=image_problem,
    packet_syntax=parse_layers,
    session_problem=session_problem,
)
