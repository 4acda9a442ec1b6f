"""``netsim grade`` and ``netsim diff``: a student's world against a reference, with reasons."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from netsim.cli import main

EXERCISES = Path(__file__).resolve().parents[2] / "docs" / "exercises"
ANSWERS = EXERCISES / "answers"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_grade_names_a_missing_publish_as_nothing_published() -> None:
    code, out, _ = run(
        "grade", str(EXERCISES / "publish-a-port.yaml"), str(ANSWERS / "publish-a-port-no-p.yaml")
    )
    assert code == 1
    assert "probe laptop -> 192.168.1.10:8080/tcp: DIFFERS\n" in out
    assert "reference: open (served by web)" in out
    assert "student:   refused\n" in out
    assert "nothing listens on 192.168.1.10:8080/tcp in host" in out
    assert "nothing is published there" in out
    assert "probe laptop -> 192.168.1.10:80/tcp: same (refused)\n" in out
    assert '    expect_contains: "80/tcp -> 0.0.0.0:8080" [FAILED, not in stdout' in out


def test_grade_names_a_container_on_the_wrong_network() -> None:
    code, out, _ = run(
        "grade",
        str(EXERCISES / "link-or-network.yaml"),
        str(ANSWERS / "link-or-network-wrong-network.yaml"),
    )
    assert code == 1
    assert "probe web -> db:6379/tcp: DIFFERS\n" in out
    assert "unresolved: db is not in web's /etc/hosts, and web is on no user-defined network" in (
        out
    )
    assert "  reach web -> db:6379/tcp: DIFFERS\n" in out


def test_grade_names_icc_false_as_the_daemon_setting_that_drops(tmp_path: Path) -> None:
    body = (
        "steps:\n"
        "  - docker run -d --name db redis\n"
        "  - docker run -d --name web nginx\n"
        "  - probe: web -> 172.17.0.2:6379\n"
    )
    reference = write(tmp_path, "ref.yaml", "name: ref\n" + body)
    student = write(tmp_path, "stu.yaml", "name: stu\ndaemon: {icc: false}\n" + body)
    for engine, rule in (("20.10", "FORWARD #6"), ("28.5", "DOCKER-FORWARD #4")):
        code, out, _ = run("grade", reference, student, "--engine", engine)
        assert code == 1
        assert "probe web -> 172.17.0.2:6379/tcp: DIFFERS\n" in out
        assert f"dropped by {rule} `-i docker0 -o docker0 -j DROP`" in out
        assert "(the daemon runs with --icc=false)" in out


def test_grade_names_the_docker_user_rule_on_either_side(tmp_path: Path) -> None:
    reference = str(EXERCISES / "docker-user.yaml")
    code, out, _ = run("grade", reference, str(ANSWERS / "docker-user-input.yaml"))
    assert code == 1
    assert "probe laptop -> 192.168.1.10:8080/tcp: DIFFERS\n" in out
    assert "reference: timeout\n" in out
    assert "dropped by DOCKER-USER #1 `-s 192.168.1.20/32 -j DROP`" in out
    assert "student:   open (served by web)" in out
    # A student who adds a DOCKER-USER rule the reference does not have.
    extra = write(
        tmp_path,
        "extra.yaml",
        (EXERCISES / "publish-a-port.yaml").read_text(encoding="utf-8")
        + "  - iptables -I DOCKER-USER -p tcp --dport 80 -j DROP\n",
    )
    code, out, _ = run("grade", str(EXERCISES / "publish-a-port.yaml"), extra)
    assert code == 1
    assert "student:   timeout" in out
    assert "dropped by DOCKER-USER #1 `-p tcp -m tcp --dport 80 -j DROP`" in out
    assert "`iptables -I DOCKER-USER -p tcp --dport 80 -j DROP`" in out


@pytest.mark.parametrize("name", ["publish-a-port", "link-or-network", "docker-user"])
def test_a_reference_passes_against_itself_and_its_own_run(name: str) -> None:
    path = str(EXERCISES / f"{name}.yaml")
    assert run("run", "-q", path)[0] == 0
    code, out, _ = run("grade", path, path)
    assert code == 0, out
    assert "DIFFERS" not in out
    assert out.endswith("result: the student's world does what the reference's does\n")


def test_grade_json_lists_each_probe_output_and_cell_with_both_answers() -> None:
    code, out, _ = run(
        "grade",
        str(EXERCISES / "publish-a-port.yaml"),
        str(ANSWERS / "publish-a-port-no-p.yaml"),
        "--json",
        "-",
    )
    assert code == 1
    data = json.loads(out)
    assert (data["passed"], data["differences"]) == (False, 5)
    first = data["probes"][0]
    assert first["probe"] == "laptop -> 192.168.1.10:8080/tcp"
    assert (first["agrees"], first["reference"]["result"], first["student"]["result"]) == (
        False,
        "open",
        "refused",
    )
    assert first["student"]["why"].startswith("refused: nothing listens on 192.168.1.10:8080")
    assert data["outputs"][0]["typed"] is False
    assert data["outputs"][0]["expect"][0]["passed"] is False
    assert {cell["probe"] for cell in data["reach"]} == {
        "host -> web (published):8080/tcp",
        "laptop -> web (published):8080/tcp",
        "web -> web (published):8080/tcp",
    }


def test_grade_checks_an_expected_output_the_student_typed(tmp_path: Path) -> None:
    student = write(
        tmp_path,
        "stu.yaml",
        "name: stu\nmachines:\n  laptop: {address: 192.168.1.20/24}\nsteps:\n"
        "  - docker run -d --name web -p 8081:80 nginx\n  - docker port web\n",
    )
    code, out, _ = run("grade", str(EXERCISES / "publish-a-port.yaml"), student)
    assert code == 1
    assert "output of step 1 `docker port web`: DIFFERS\n" in out
    assert "[FAILED, not in stdout (first line '80/tcp -> 0.0.0.0:8081')]" in out


def test_diff_shows_where_two_scenarios_reach_differently_and_is_quiet_on_equal_ones() -> None:
    a, b = str(EXERCISES / "link-or-network.yaml"), str(ANSWERS / "link-or-network-link.yaml")
    code, out, _ = run("diff", a, b)
    assert code == 1
    assert out.startswith("# B answer-link-or-network-link against A exercise-link-or-network")
    assert "  reach cache -> db:6379/tcp: DIFFERS\n" in out
    assert "    B: open (served by db)\n" in out
    code, out, _ = run("diff", a, a)
    assert code == 0
    assert "reachability: the same in both worlds\n" in out


def test_grade_of_an_invalid_scenario_says_where_and_exits_2(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "name: bad\nsteps:\n  - run: docker ps\n    expect_exit: x\n")
    code, out, err = run("grade", str(EXERCISES / "publish-a-port.yaml"), bad)
    assert (code, out) == (2, "")
    assert "bad.yaml:4: steps[0].expect_exit: expected an exit code, 0-255" in err
