"""Adapter tests: ``netsim shell`` driven by scripted input (stdin and prompt_toolkit's pipe)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from netsim.cli import main
from netsim.console import Console, completer, empty_scenario, prompt_lines, run_lines
from netsim.render.transcript import format_transcript
from netsim.session import load_scenario, replay

ROOT = Path(__file__).resolve().parents[2]
PORT_MAPPING = ROOT / "scenarios" / "port-mapping.yaml"

# The port-mapping tutorial (scenarios/port-mapping.yaml), typed in by hand.
LAN = (
    "name: lan\nengine: '28.5'\nmachines:\n  laptop: {address: 192.168.1.20/24}\n"
    "steps:\n  - docker ps\n"
)
TUTORIAL = [
    "docker run --name docker_mysql -p 12345:3306 -e MYSQL_PASSWORD=secret -d mysql:5.6.35",
    "docker port docker_mysql",
    "docker port docker_mysql 3306",
    "docker ps",
    "iptables -t nat -L -n",
    "iptables -t filter -S",
    "docker inspect -f '{{.NetworkSettings.IPAddress}}' docker_mysql",
    "probe laptop -> 192.168.1.10:12345/tcp",
    "probe host -> 127.0.0.1:12345",
    "probe laptop -> 192.168.1.10:3306",
]


def _console(tmp_path: Path, text: str = LAN) -> Console:
    path = tmp_path / "lan.yaml"
    path.write_text(text, encoding="utf-8")
    return Console(load_scenario(path), source=text)


def _run(console: Console, lines: list[str]) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    run_lines(console, lines, out, err)
    return out.getvalue(), err.getvalue()


def test_the_tutorial_typed_in_prints_what_the_scenario_prints(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, err = _run(console, TUTORIAL)
    assert err == ""
    reference = replay(load_scenario(PORT_MAPPING))
    # The typed commands print what the scenario's steps print, in order.
    expected = "".join(
        getattr(step, "stdout", "") + getattr(step, "stderr", "") for step in reference.steps[:7]
    )
    # The container's ID is drawn from the scenario's own random numbers.
    typed_id, reference_id = out.split("\n", 1)[0], expected.split("\n", 1)[0]
    assert len(typed_id) == 64
    expected = expected.replace(reference_id, typed_id).replace(reference_id[:12], typed_id[:12])
    assert out.startswith(expected)
    assert "3306/tcp -> 0.0.0.0:12345\n3306/tcp -> [::]:12345\n" in out
    assert "DNAT       6    --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345" in out
    assert "\n172.17.0.2\n" in out
    assert "# probe laptop -> 192.168.1.10:12345/tcp: open (served by docker_mysql" in out
    assert "# probe host -> 127.0.0.1:12345/tcp: open (served by docker_mysql" in out
    assert out.endswith(
        "# probe laptop -> 192.168.1.10:3306/tcp: refused\n"
        "#   why: refused: nothing listens on 192.168.1.10:3306/tcp in host (no rule in the nat "
        "table's DOCKER chain matched: nothing is published there)\n"
    )


def test_save_writes_a_scenario_that_replays_to_the_same_transcript(tmp_path: Path) -> None:
    console = _console(tmp_path)
    saved = tmp_path / "saved.yaml"
    out, err = _run(
        console,
        [*TUTORIAL, "trace laptop -> 192.168.1.10:3306", "reach", f"save {saved}"],
    )
    assert err == ""
    assert out.endswith(f"saved 11 steps to {saved}\n")
    run = replay(load_scenario(saved))
    assert format_transcript(run) == console.transcript()
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("name: lan\nengine: '28.5'\nmachines:\n")
    assert "- 'probe: laptop -> 192.168.1.10:3306/tcp'" not in text
    assert "- probe: laptop -> 192.168.1.10:3306/tcp\n" in text
    assert "trace" not in text and "reach" not in text  # questions are not steps


def test_a_shell_without_a_file_saves_a_scenario_of_its_own(tmp_path: Path) -> None:
    console = Console(empty_scenario("20.10"))
    assert console.banner.startswith("# netsim shell: shell on Docker 20.10 (simulated), 0 steps")
    saved = tmp_path / "mine.yaml"
    out, err = _run(
        console,
        [
            "docker network create backend",
            "docker run -d --name db --network backend postgres",
            "docker run -d --name web nginx",
            "probe web -> db:5432",
            f"save {saved}",
        ],
    )
    assert err == ""
    assert "# probe web -> db:5432/tcp: unresolved\n" in out
    scenario = load_scenario(saved)
    assert (scenario.name, scenario.engine, len(scenario.steps)) == ("shell", "20.10", 4)
    assert format_transcript(replay(scenario)) == console.transcript()


def test_why_names_the_rule_that_dropped_the_probe(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, err = _run(
        console,
        [
            "docker run -d --name web -p 80:80 nginx",
            "iptables -I DOCKER-USER -s 192.168.1.20 -j DROP",
            "why laptop -> 192.168.1.10:80",
            "why host -> 192.168.1.10:81",
        ],
    )
    assert err == ""
    lines = out.splitlines()
    assert lines[-2].startswith("dropped by DOCKER-USER #1 `-s 192.168.1.20/32 -j DROP` on host")
    # The why names the typed step that added the rule, numbered as the saved file numbers it.
    assert lines[-2].endswith("step 2 added it: `iptables -I DOCKER-USER -s 192.168.1.20 -j DROP`")
    assert lines[-1].startswith("refused: nothing listens on 192.168.1.10:81/tcp in host")


def test_a_saved_docker_user_rule_replays_with_the_same_why(tmp_path: Path) -> None:
    console = _console(tmp_path)
    saved = tmp_path / "user.yaml"
    out, err = _run(
        console,
        [
            "docker run -d --name web -p 80:80 nginx",
            "iptables -I DOCKER-USER -s 192.168.1.20 -j DROP",
            "probe laptop -> 192.168.1.10:80",
            f"save {saved}",
        ],
    )
    assert err == ""
    assert "step 2 added it: `iptables -I DOCKER-USER -s 192.168.1.20 -j DROP`" in out
    assert format_transcript(replay(load_scenario(saved))) == console.transcript()


def test_on_runs_a_command_on_a_machine_or_in_a_container_and_saves_it(tmp_path: Path) -> None:
    console = _console(tmp_path)
    saved = tmp_path / "on.yaml"
    out, err = _run(
        console,
        [
            "docker run -d --name web nginx",
            "on web cat /etc/hosts",
            "on laptop ip -4 addr show eth0",
            f"save {saved}",
        ],
    )
    assert err == ""
    assert "172.17.0.2\t" in out
    assert "    inet 192.168.1.20/24 scope global eth0\n" in out
    assert "web $ cat /etc/hosts\n" in console.transcript()
    assert "laptop $ ip -4 addr show eth0\n" in console.transcript()
    scenario = load_scenario(saved)
    assert [(s.on, s.command) for s in scenario.steps[2:]] == [
        ("web", "cat /etc/hosts"),
        ("laptop", "ip -4 addr show eth0"),
    ]
    assert format_transcript(replay(scenario)) == console.transcript()


def test_on_says_what_is_wrong_with_its_node(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, err = _run(console, ["on nosuch! ls", "on laptop", "on ghost ls"])
    assert err == (
        "netsim: on: 'nosuch!' is neither host, a machine (laptop) nor a valid container name\n"
        "netsim: on needs a node and a command: on NODE COMMAND\n"
        "Error response from daemon: No such container: ghost\n"
    )
    assert out == ""


def test_trace_and_why_leave_the_probes_of_the_steps_as_they_were(tmp_path: Path) -> None:
    plain = _console(tmp_path)
    out_plain, _ = _run(plain, TUTORIAL)
    asked = _console(tmp_path)
    _run(asked, TUTORIAL[:7] + ["trace laptop -> 192.168.1.10:12345", "why host -> 127.0.0.1:1"])
    out_asked, _ = _run(asked, TUTORIAL[7:])
    assert out_plain.endswith(out_asked)


def test_bad_lines_say_what_is_wrong_and_the_shell_goes_on(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, err = _run(
        console,
        [
            "probe nosuch",
            "probe",
            "save",
            "frobnicate now",
            "docker run --bogus x",
            "# a comment",
            "",
            "probe host -> 127.0.0.1:1",
        ],
    )
    assert err.splitlines()[:3] == [
        "netsim: probe: expected SRC -> DST:PORT[/PROTO], e.g. laptop -> "
        "192.168.1.10:8080/tcp; \"nosuch\" has no '->'",
        "netsim: probe needs a probe: probe SRC -> DST[:PORT][/PROTO]",
        "netsim: save needs a file: save FILE",
    ]
    assert "sh: 1: frobnicate: not found\n" in err
    assert "unknown flag: --bogus" in err
    assert out == (
        "# probe host -> 127.0.0.1:1/tcp: refused\n"
        "#   why: refused: nothing listens on 127.0.0.1:1/tcp in host\n"
    )


def test_save_refuses_a_scenario_that_would_not_load_back(tmp_path: Path) -> None:
    console = Console(empty_scenario(None))
    out, err = _run(console, [f"save {tmp_path / 'x.yaml'}"])
    assert err == "netsim: nothing to save: no step was typed yet\n"
    _run(console, ["docker run -d --name web nosuchimage:1"])
    out, err = _run(console, [f"save {tmp_path / 'x.yaml'}"])
    assert err.startswith("netsim: not saved: ")
    assert "nosuchimage" in err
    assert not (tmp_path / "x.yaml").exists()


def test_save_says_when_the_file_cannot_be_written_and_the_shell_goes_on(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, err = _run(
        console, [f"save {tmp_path / 'no' / 'such' / 'x.yaml'}", "probe host -> 127.0.0.1:1"]
    )
    assert (
        err
        == f"netsim: not saved: {tmp_path / 'no' / 'such' / 'x.yaml'}: No such file or directory\n"
    )
    assert out.startswith("# probe host -> 127.0.0.1:1/tcp: refused\n")


def test_exit_stops_reading(tmp_path: Path) -> None:
    console = _console(tmp_path)
    out, _ = _run(console, ["help", "exit", "probe host -> 127.0.0.1:1"])
    assert out.startswith("Type commands as on the Docker host")
    assert "probe host" not in out.split("exit")[-1]
    assert console.done


def test_completion_offers_subcommands_options_and_names(tmp_path: Path) -> None:
    console = _console(tmp_path)
    _run(console, ["docker run -d --name docker_mysql -p 12345:3306 mysql:5.6.35"])
    assert console.completions("pr") == ["probe"]
    assert "docker" in console.completions("")
    assert console.completions("docker ne") == ["network"]
    assert console.completions("docker network c") == ["connect", "create"]
    assert "--publish" in console.completions("docker run --pub")
    assert console.completions("docker run --pub") == ["--publish", "--publish-all"]
    assert "--internal" in console.completions("docker network create --int")
    assert console.completions("docker port docker_") == ["docker_mysql"]
    assert console.completions("docker network connect br") == ["bridge"]
    assert console.completions("probe lap") == ["laptop"]
    assert console.completions("on docker") == ["docker_mysql"]
    assert console.completions("o") == ["on"]


def test_the_prompt_reads_typed_lines_with_history_and_completion(tmp_path: Path) -> None:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    console = _console(tmp_path)
    with create_pipe_input() as pipe:
        history = InMemoryHistory()
        session: PromptSession[str] = PromptSession(
            input=pipe, output=DummyOutput(), history=history
        )
        pipe.send_text("docker run -d --name docker_mysql mysql:5.6.35\r")
        pipe.send_text("docker inspect -f '{{.Name}}' docker_mysql\r")
        pipe.send_text("probe host -> 172.17.0.2:3306\r")
        out, err = _run(console, list(_take(prompt_lines(console, session), 3)))
    assert err == ""
    assert out.splitlines()[1:] == [
        "/docker_mysql",
        "# probe host -> 172.17.0.2:3306/tcp: open (served by docker_mysql, "
        f"local 172.17.0.2:3306, peer {out.split('peer ')[1].split(')')[0]})",
        "#   why: open directly, no address translation on the way",
    ]
    assert list(history.get_strings()) == [
        "docker run -d --name docker_mysql mysql:5.6.35",
        "docker inspect -f '{{.Name}}' docker_mysql",
        "probe host -> 172.17.0.2:3306",
    ]


def test_the_prompt_completes_with_the_console_words(tmp_path: Path) -> None:
    from prompt_toolkit.document import Document

    console = _console(tmp_path)
    _run(console, ["docker run -d --name docker_mysql mysql:5.6.35"])
    words = completer(console)
    found = list(words.get_completions(Document("docker inspect docker_m"), None))
    assert [(c.text, c.start_position) for c in found] == [("docker_mysql", -8)]
    found = list(words.get_completions(Document("docker "), None))
    assert "network" in [c.text for c in found]
    assert all(c.start_position == 0 for c in found)


def _take(lines: object, count: int) -> list[str]:
    taken = []
    for line in lines:  # type: ignore[attr-defined]
        taken.append(line)
        if len(taken) == count:
            break
    return taken


def test_cli_shell_reads_standard_input_without_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "saved.yaml"
    monkeypatch.setattr(
        "sys.stdin",
        io.StringIO(f"docker port docker_mysql\nprobe laptop -> 192.168.1.10:3306\nsave {saved}\n"),
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["shell", str(PORT_MAPPING)], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == (
        "# netsim shell: port-mapping on Docker 28.5 (simulated), 10 steps replayed; type help\n"
        "3306/tcp -> 0.0.0.0:12345\n3306/tcp -> [::]:12345\n"
        "# probe laptop -> 192.168.1.10:3306/tcp: refused\n"
        "#   why: refused: nothing listens on 192.168.1.10:3306/tcp in host (no rule in the nat "
        "table's DOCKER chain matched: nothing is published there)\n"
        f"saved 12 steps to {saved}\n"
    )
    replayed = format_transcript(replay(load_scenario(saved)))
    original = format_transcript(replay(load_scenario(PORT_MAPPING)))
    assert replayed.startswith(original)


def test_cli_shell_refuses_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nsteps: []\n", encoding="utf-8")
    err = io.StringIO()
    code = main(["shell", str(broken)], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert f"{broken}:2:" in err.getvalue()
