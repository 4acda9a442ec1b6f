"""Compare two scenarios' worlds: grade a student's answer against a reference, or diff two.

Both scenarios are replayed; then, on both worlds as their steps left them:

* every probe of the reference (for ``diff``, of either scenario) is sent in
  both worlds, and each side's result comes with its ``why``;
* every reference command step with ``expect_*`` is checked against the
  student's output of the same command (the first one typed on the same node
  not used yet), or, when the student never typed it, against the output of
  running it on the student's world after its steps (``grade`` only);
* the two reachability matrices are compared cell by cell (a cell is a
  source against a destination's label, port and protocol, so addresses may
  differ), and each differing cell is sent as a probe in both worlds for its
  reasons.
"""

from __future__ import annotations

from netsim.results.grade import Answer, Comparison, OutputCheck, ProbeComparison
from netsim.results.reach import ReachCell, ReachMatrix
from netsim.results.run import CommandRecord, ProbeRecord, Run
from netsim.scenario.spec import CommandStep, ProbeProtocol, ProbeStep, Scenario
from netsim.session import Session
from netsim.session.replay import check_output, run_command

CellKey = tuple[str, str, int, str]  # source, destination label, port, proto


def _answer(record: ProbeRecord) -> Answer:
    why = record.why.text if record.why is not None else ""
    served = record.served_by if record.result == "open" else None
    return Answer(record.result, served, why, record.error)


def _probe_key(step: ProbeStep) -> str:
    return f"{step.src} -> {step.target}"


def _probes(*scenarios: Scenario) -> tuple[ProbeStep, ...]:
    """Return the probe steps of the scenarios, the first of each text only, in order."""
    seen: dict[str, ProbeStep] = {}
    for scenario in scenarios:
        for step in scenario.steps:
            if isinstance(step, ProbeStep) and _probe_key(step) not in seen:
                seen[_probe_key(step)] = step
    return tuple(seen.values())


def _compare_probe(first: Session, second: Session, step: ProbeStep) -> ProbeComparison:
    return ProbeComparison(
        _probe_key(step), _answer(first.probe(step)), _answer(second.probe(step))
    )


def _cells(matrix: ReachMatrix) -> dict[CellKey, ReachCell]:
    return {
        (c.source, c.destination.label, c.destination.port, c.destination.proto): c
        for c in matrix.cells
    }


def _cell_step(cell: ReachCell) -> ProbeStep:
    proto: ProbeProtocol = "udp" if cell.destination.proto == "udp" else "tcp"
    return ProbeStep(0, 0, cell.source, str(cell.destination.address), cell.destination.port, proto)


def _reach(first: Session, second: Session, seed: int) -> tuple[ProbeComparison, ...]:
    one = _cells(first.reach(seed=seed))
    two = _cells(second.reach(seed=seed))
    differing: list[ProbeComparison] = []
    for key in sorted(one.keys() | two.keys()):
        a, b = one.get(key), two.get(key)
        if a is not None and b is not None and (a.result, a.served_by) == (b.result, b.served_by):
            continue
        source, label, port, proto = key
        text = f"{source} -> {label}:{port}/{proto}"
        # A cell one world lacks is asked there at the other world's address.
        first_step = _cell_step(a if a is not None else b)  # type: ignore[arg-type]
        second_step = _cell_step(b if b is not None else a)  # type: ignore[arg-type]
        first_answer = _answer(first.probe(first_step))
        second_answer = _answer(second.probe(second_step))
        differing.append(ProbeComparison(text, first_answer, second_answer))
    return tuple(differing)


def compare(
    first: Scenario,
    second: Scenario,
    *,
    engine: str | None = None,
    seed: int = 0,
    grade: bool = True,
) -> Comparison:
    """Replay both scenarios and compare their worlds (see the module's docstring).

    With ``grade``, ``first`` is the reference: its probes are asked and its
    expected outputs checked; without, the probes of both are asked.
    """
    one = Session(first, engine=engine, seed=seed)
    two = Session(second, engine=engine, seed=seed)
    first_run = one.replay()
    second_run = two.replay()
    steps = _probes(first) if grade else _probes(first, second)
    probes = tuple(_compare_probe(one, two, step) for step in steps)
    reach = _reach(one, two, seed)
    outputs = _outputs_of(first, two, second_run) if grade else ()
    return Comparison(first.name, second.name, first_run.engine, probes, outputs, reach)


def _outputs_of(reference: Scenario, student: Session, student_run: Run) -> tuple[OutputCheck, ...]:
    """Check the reference's ``expect_*`` against the student's output of the same commands."""
    typed = [s for s in student_run.steps if isinstance(s, CommandRecord)]
    used: set[int] = set()
    checks: list[OutputCheck] = []
    for step in reference.steps:
        if not isinstance(step, CommandStep) or not step.expectations:
            continue
        match = next(
            (
                r
                for r in typed
                if r.index not in used and (r.on, r.command) == (step.on, step.command)
            ),
            None,
        )
        if match is not None:
            used.add(match.index)
            exit_code, stdout = match.exit_code, match.stdout
        else:
            ran = run_command(student.world, step)
            exit_code, stdout = ran.exit_code, ran.stdout
        checks.append(
            OutputCheck(
                step.index,
                step.on,
                step.command,
                match is not None,
                check_output(step.expectations, exit_code, stdout),
            )
        )
    return tuple(checks)
