"""``netsim shell``: an interactive prompt on a simulated host, after a scenario's steps.

Lines typed at the prompt are what a user types on the Docker host
(``docker ...``, ``iptables ...``, ``ip ...``), run as scenario steps on the
host are (``Session.run_step``), plus a few words of netsim's own:

- ``on NODE COMMAND``: run a command on a machine or in a container (a step's ``on:``)
- ``probe SPEC``: send a probe (``SRC -> DST[:PORT][/PROTO]``), as a scenario's probe step
- ``trace SPEC``: the probe's trace, hop by hop (as ``netsim trace``; not a step)
- ``why SPEC``: the one event that decided the probe's outcome (not a step)
- ``reach``: who reaches what now (as ``netsim reach``)
- ``transcript``: everything so far, as ``netsim run`` prints it
- ``save FILE``: write the scenario's steps and the typed ones as a scenario file
- ``help``, ``exit`` (or end of input)

Commands and probes are steps: ``save`` writes them after the file's own, and
replaying that file prints the same transcript. ``trace``, ``why`` and
``reach`` change nothing and are not saved; their probes draw random numbers
of their own (seeded by their text) so they leave the world's untouched.

With a terminal, prompt_toolkit gives history and completion (the first
word, docker's subcommands and their options, container, network and node
names); without one, lines are read from standard input.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import yaml

from netsim.docker.commandline import FLAG_TABLES
from netsim.errors import ScenarioError
from netsim.render.decision import decision_text
from netsim.render.trace import format_trace
from netsim.render.transcript import format_header, format_step
from netsim.results.run import CommandRecord, StepRecord
from netsim.results.topology import HOST
from netsim.scenario.probe import CONTAINER_NAME, probe_step_from_text
from netsim.scenario.spec import CommandStep, ProbeStep, Scenario
from netsim.session import Session, load_scenario_text

SHELL_SCENARIO = "shell"
PROMPT = "netsim$ "
OWN_WORDS = ("on", "probe", "trace", "why", "reach", "transcript", "save", "help", "exit", "quit")
HOST_PROGRAMS = ("docker", "iptables", "iptables-save", "ip", "sysctl", "hostname", "cat", "echo")
HELP = """\
Type commands as on the Docker host: docker ..., iptables ..., ip ..., sysctl, cat.
netsim's own words:
  on NODE COMMAND                   run COMMAND on a machine or in a container (kept as a step)
  probe SRC -> DST[:PORT][/PROTO]   send a probe (kept as a step)
  trace SRC -> DST[:PORT][/PROTO]   the probe's trace, hop by hop
  why SRC -> DST[:PORT][/PROTO]     what decided the probe's outcome
  reach                             who reaches what now
  transcript                        everything so far, as netsim run prints it
  save FILE                         write the steps so far as a scenario file
  help                              this text
  exit                              leave (so does end of input)
"""


def empty_scenario(engine: str | None) -> Scenario:
    """Return the scenario of a shell started without a file: no machines, no steps."""
    scenario = Scenario(path="<shell>", name=SHELL_SCENARIO, steps=())
    return scenario if engine is None else dataclasses.replace(scenario, engine=engine)


class Console:
    """A shell on a scenario's world: replays the file's steps, then runs typed lines.

    ``source`` is the scenario's YAML text (``None`` without a file): ``save``
    writes it back with the typed steps after its own.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        engine: str | None = None,
        seed: int = 0,
        source: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.source = source
        self.session = Session(scenario, engine=engine, seed=seed)
        self.engine = self.session.world.profile.version
        run = self.session.replay()
        self.records: list[StepRecord] = list(run.steps)
        self.typed: list[dict[str, str] | str] = []
        self.done = False

    @property
    def banner(self) -> str:
        """Return the first line the shell prints."""
        return (
            f"# netsim shell: {self.scenario.name} on Docker {self.engine} (simulated), "
            f"{len(self.records)} steps replayed; type help\n"
        )

    def transcript(self) -> str:
        """Return the transcript so far: the file's steps, then the typed ones."""
        return format_header(self.scenario.name, self.engine) + "".join(
            format_step(record) for record in self.records
        )

    def execute(self, line: str) -> tuple[str, str]:
        """Run one typed line; return what it prints on standard output and standard error."""
        text = line.strip()
        if not text or text.startswith("#"):
            return "", ""
        word, _, rest = text.partition(" ")
        rest = rest.strip()
        try:
            if word in ("exit", "quit"):
                self.done = True
                return "", ""
            if word == "help":
                return HELP, ""
            if word == "transcript":
                return self.transcript(), ""
            if word == "reach":
                return self.session.reach().table(), ""
            if word in ("probe", "trace", "why"):
                return self._probe(word, rest)
            if word == "save":
                return self._save(rest)
            if word == "on":
                return self._on(rest)
        except ScenarioError as error:
            return "", f"netsim: {word}: {error.message}\n"
        return self._command(text)

    def _on(self, rest: str) -> tuple[str, str]:
        node, _, command = rest.partition(" ")
        command = command.strip()
        if not node or not command:
            return "", "netsim: on needs a node and a command: on NODE COMMAND\n"
        machines = {m.name for m in self.scenario.machines}
        if node not in machines | {"host"} and not CONTAINER_NAME.fullmatch(node):
            return "", (
                f"netsim: on: {node!r} is neither host, a machine "
                f"({', '.join(sorted(machines)) or 'none declared'}) nor a valid container name\n"
            )
        return self._command(command, on=node)

    def _command(self, text: str, *, on: str = HOST) -> tuple[str, str]:
        step = CommandStep(index=len(self.records), line=0, command=text, on=on)
        record = self.session.run_step(step)
        self.records.append(record)
        self.typed.append(text if on == HOST else {"on": on, "run": text})
        if not isinstance(record, CommandRecord):
            raise TypeError(f"a command step gave a {type(record).__name__}")
        return record.stdout, record.stderr

    def _probe(self, word: str, spec: str) -> tuple[str, str]:
        if not spec:
            return "", f"netsim: {word} needs a probe: {word} SRC -> DST[:PORT][/PROTO]\n"
        step = self.probe_step(spec)
        if word == "probe":
            record = self.session.run_step(step)
            self.records.append(record)
            self.typed.append({"probe": f"{step.src} -> {step.target}"})
            return format_step(record), ""
        traced = self.session.probe(step, rng=random.Random(f"shell/{step.src} -> {step.target}"))
        if word == "trace":
            return format_trace(traced), ""
        return decision_text(traced) + "\n", ""

    def probe_step(self, spec: str) -> ProbeStep:
        """Return the probe step typed as ``SPEC``, numbered as the next step.

        Raises:
            ScenarioError: the text is not a probe.
        """
        step = probe_step_from_text(spec, self.scenario, key="probe")
        return dataclasses.replace(step, index=len(self.records))

    def scenario_text(self) -> str:
        """Return the scenario file ``save`` writes: the file's own, then the typed steps."""
        data: dict[str, Any]
        if self.source is not None:
            loaded = yaml.safe_load(self.source)
            data = dict(loaded) if isinstance(loaded, dict) else {}
        else:
            data = {"name": self.scenario.name}
        steps = [*(data.pop("steps", None) or []), *self.typed]
        head: dict[str, Any] = {k: data.pop(k) for k in ("name", "description") if k in data}
        data.pop("engine", None)
        data = {**head, "engine": self.engine, **data, "steps": steps}
        return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))

    def _save(self, target: str) -> tuple[str, str]:
        if not target:
            return "", "netsim: save needs a file: save FILE\n"
        if not self.typed and self.source is None:
            return "", "netsim: nothing to save: no step was typed yet\n"
        path = Path(target)
        text = self.scenario_text()
        try:
            load_scenario_text(text, str(path))  # what is written must load back
        except ScenarioError as error:
            return "", f"netsim: not saved: {error}\n"
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            return "", f"netsim: not saved: {path}: {error.strerror}\n"
        return f"saved {len(self.records)} steps to {path}\n", ""

    # -- completion ---------------------------------------------------------------------------

    def names(self) -> tuple[str, ...]:
        """Return the container, network and node names completion offers."""
        daemon = self.session.world.daemon
        found = {c.name for c in daemon.containers} | {n.name for n in daemon.networks}
        found |= {"host", *(m.name for m in self.scenario.machines)}
        return tuple(sorted(found))

    def completions(self, text: str) -> list[str]:
        """Return the words that complete the last word of ``text`` (sorted, no duplicates)."""
        words = text.split()
        if not text or text.endswith(" "):
            words.append("")
        last = words[-1]
        if len(words) == 1:
            options: Iterable[str] = (*OWN_WORDS, *HOST_PROGRAMS)
        elif words[0] == "docker":
            options = self._docker_words(words[1:-1], last)
        elif words[0] == "on" and len(words) == 2:
            options = self.names()
        elif words[0] in ("probe", "trace", "why"):
            options = (*self.names(), "->")
        else:
            options = ()
        return sorted({o for o in options if o.startswith(last) and o != last})

    def _docker_words(self, before: list[str], last: str) -> Iterable[str]:
        plain = [w for w in before if not w.startswith("-")]
        subcommands = sorted({key.split()[0] for key in FLAG_TABLES})
        if not plain:
            return (*subcommands, "network", "container")
        path = plain[0]
        if path == "network" and len(plain) == 1:
            return tuple(key.split()[1] for key in FLAG_TABLES if key.startswith("network "))
        if path == "network":
            path = f"network {plain[1]}"
        if last.startswith("-"):
            table = FLAG_TABLES.get(path, {})
            longs = [f"--{name}" for name in table]
            shorts = [f"-{short}" for short, _ in table.values() if short]
            return (*longs, *shorts)
        return self.names()


def read_lines(stream: TextIO) -> Iterator[str]:
    """Yield the lines of a stream without their line ends."""
    for line in stream:
        yield line.rstrip("\n")


def run_lines(console: Console, lines: Iterable[str], stdout: TextIO, stderr: TextIO) -> None:
    """Run typed lines one by one, writing what each prints, until ``exit`` or the end."""
    for line in lines:
        out, err = console.execute(line)
        stdout.write(out)
        stderr.write(err)
        stdout.flush()
        if console.done:
            break


def completer(console: Console) -> Any:
    """Return a prompt_toolkit completer over ``console.completions``."""
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.document import Document

    class _Words(Completer):
        def get_completions(self, document: Document, complete_event: Any) -> Iterator[Completion]:
            before = document.text_before_cursor
            last = "" if before.endswith(" ") else (before.split() or [""])[-1]
            for word in console.completions(before):
                yield Completion(word, start_position=-len(last))

    return _Words()


def prompt_lines(console: Console, session: Any = None) -> Iterator[str]:
    """Yield lines typed at a prompt_toolkit prompt (history, completion) until end of input.

    ``session`` is a prompt_toolkit ``PromptSession`` (tests pass one on a
    pipe input); without one a session on the terminal is made.
    """
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory

    words = completer(console)
    prompt = session or PromptSession(history=InMemoryHistory())
    while True:
        try:
            yield prompt.prompt(PROMPT, completer=words, complete_while_typing=False)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return
