"""Adapter tests: ``netsim batch`` gives the same bytes on one process, two, and a Dask cluster."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from netsim.batch import batch_jobs, run_batch
from netsim.cli import main
from netsim.errors import NetsimError

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "scenarios" / "port-mapping.yaml", ROOT / "scenarios" / "two-networks.yaml"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def _batch(out: Path, *extra: str, task: str = "run") -> tuple[int, str, dict[str, bytes]]:
    code, stdout, err = run(
        "batch",
        *map(str, FILES),
        "--engine",
        "20.10,28.5",
        "--task",
        task,
        "--out",
        str(out),
        *extra,
    )
    assert err == "", err
    return code, stdout, _tree(out)


@pytest.mark.parametrize("task", ["run", "reach"])
def test_two_local_processes_write_what_one_writes(tmp_path: Path, task: str) -> None:
    one = _batch(tmp_path / "one", task=task)
    two = _batch(tmp_path / "two", "--jobs", "2", task=task)
    assert one == two
    code, stdout, files = one
    assert code == 0
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [(x["scenario"], x["engine"]) for x in lines] == [
        ("port-mapping", "20.10"),
        ("port-mapping", "28.5"),
        ("two-networks", "20.10"),
        ("two-networks", "28.5"),
    ]
    assert files["results.jsonl"].decode() == stdout
    assert len(files) == 5


def test_a_dask_cluster_of_two_worker_processes_writes_the_same_bytes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local = _batch(tmp_path / "local")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        on_cluster = _batch(tmp_path / "cluster", "--scheduler", cluster.scheduler_address)
    assert on_cluster == local


def test_an_invalid_file_is_a_line_and_exit_2_and_the_others_still_run(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad Name\nsteps: []\n")
    code, stdout, err = run("batch", str(bad), str(FILES[0]), "--out", str(tmp_path / "o"))
    assert code == 2 and err == ""
    first, second = (json.loads(line) for line in stdout.splitlines())
    assert first["ok"] is False and "bad.yaml" in first["error"]
    assert second["ok"] is True and second["passed"] is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--engine", "20.10,19.03"], "unknown engine '19.03'"),
        (["--jobs", "0"], "--jobs: expected 1 or more, got 0"),
    ],
)
def test_bad_options_are_refused(tmp_path: Path, argv: list[str], message: str) -> None:
    code, _, err = run("batch", str(FILES[0]), "--out", str(tmp_path / "o"), *argv)
    assert code == 2 and message in err


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    code, _, err = run("batch", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o"))
    assert code == 2 and "no such file" in err and "nope.yaml" in err


def test_jobs_need_a_known_task_and_something_to_run() -> None:
    with pytest.raises(ValueError, match="unknown task 'draw'"):
        batch_jobs(FILES, [None], "draw")
    with pytest.raises(ValueError, match="at least one scenario file and one engine"):
        batch_jobs([], [None], "run")


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("dask.distributed")
    jobs = batch_jobs(FILES[:1], [None], "run")
    with pytest.raises(NetsimError, match="cannot reach the scheduler at tcp://127.0.0.1:9"):
        list(run_batch(jobs, scheduler="tcp://127.0.0.1:9", connect_timeout=1.0))


def _wide_file(tmp_path: Path) -> Path:
    """Write a world of 12 alike containers on three networks: shards cut its classes."""
    lines = ["name: wide", "machines:", "  laptop: {address: 192.168.1.20/24, listen: [22/tcp]}"]
    lines += ["steps:"] + [f"  - docker network create net{k}" for k in range(3)]
    lines += [
        f"  - docker run -d --name c{i} --network net{i % 3} -p {20000 + i}:80 nginx"
        for i in range(12)
    ]
    path = tmp_path / "wide.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _reach(path: Path, out: Path, *extra: str) -> tuple[str, bytes]:
    code, stdout, err = run("reach", str(path), "--json", str(out), "--form", "compact", *extra)
    assert (code, err) == (0, "")
    return stdout, out.read_bytes()


def test_a_reach_in_shards_on_local_processes_writes_what_one_process_writes(
    tmp_path: Path,
) -> None:
    path = _wide_file(tmp_path)
    whole = _reach(path, tmp_path / "whole.json")
    assert _reach(path, tmp_path / "three.json", "--shards", "3", "--jobs", "2") == whole
    assert _reach(path, tmp_path / "one-by-one.json", "--shards", "4", "--jobs", "1") == whole
    assert json.loads(whole[1])["sources"][:3] == ["host", "laptop", "c0"]


def test_a_reach_in_shards_on_a_dask_cluster_writes_the_same_bytes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    path = _wide_file(tmp_path)
    whole = _reach(path, tmp_path / "whole.json")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        sharded = _reach(
            path,
            tmp_path / "cluster.json",
            "--shards",
            "3",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert sharded == whole


@pytest.mark.parametrize("option", ["--shards", "--jobs"])
def test_reach_refuses_fewer_than_one_shard_or_job(tmp_path: Path, option: str) -> None:
    code, stdout, err = run("reach", str(FILES[0]), option, "0")
    assert (code, stdout) == (2, "")
    assert err == f"netsim: reach {option}: expected 1 or more, got 0\n"


# -- grade: many students' files against one reference ----------------------

EXERCISES = ROOT / "docs" / "exercises"


def _grade(out: Path, *extra: str) -> tuple[int, str, dict[str, bytes]]:
    answers = sorted((EXERCISES / "answers").glob("publish-a-port-*.yaml"))
    code, stdout, err = run(
        "batch",
        *map(str, answers),
        str(EXERCISES / "publish-a-port.yaml"),
        "--task",
        "grade",
        "--reference",
        str(EXERCISES / "publish-a-port.yaml"),
        "--engine",
        "20.10,28.5",
        "--out",
        str(out),
        *extra,
    )
    assert err == "", err
    return code, stdout, _tree(out)


def test_grade_writes_what_netsim_grade_prints_for_each_file_and_engine(tmp_path: Path) -> None:
    code, stdout, files = _grade(tmp_path / "one")
    assert code == 1  # the wrong answer fails; the reference graded against itself passes
    lines = [json.loads(line) for line in stdout.splitlines()]
    assert [(x["scenario"], x["engine"], x["passed"]) for x in lines] == [
        ("answer-publish-a-port-no-p", "20.10", False),
        ("answer-publish-a-port-no-p", "28.5", False),
        ("exercise-publish-a-port", "20.10", True),
        ("exercise-publish-a-port", "28.5", True),
    ]
    assert lines[0]["differences"] > 0 and lines[2]["differences"] == 0
    reference = str(EXERCISES / "publish-a-port.yaml")
    student = str(EXERCISES / "answers" / "publish-a-port-no-p.yaml")
    for engine, index in (("20.10", 0), ("28.5", 1)):
        stem = f"{index:04d}-publish-a-port-no-p-{engine}"
        text = run("grade", reference, student, "--engine", engine)
        data = run("grade", reference, student, "--engine", engine, "--json", "-")
        assert text[0] == data[0] == 1
        assert files[f"{stem}.grade.txt"].decode() == text[1]
        assert files[f"{stem}.grade.json"].decode() == data[1]
    two = _grade(tmp_path / "two", "--jobs", "2")
    assert two == (code, stdout, files)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--task", "grade"], "--reference REFERENCE goes with --task grade"),
        (["--reference", str(FILES[1])], "--reference REFERENCE goes with --task grade"),
    ],
)
def test_grade_and_reference_go_together(tmp_path: Path, argv: list[str], message: str) -> None:
    code, _, err = run("batch", str(FILES[0]), "--out", str(tmp_path / "o"), *argv)
    assert code == 2 and message in err
    assert not (tmp_path / "o").exists()
    with pytest.raises(ValueError, match="goes with --task grade"):
        batch_jobs(FILES, [None], "grade")


def test_a_missing_or_invalid_reference_is_one_error(tmp_path: Path) -> None:
    common = [str(FILES[0]), "--task", "grade", "--out", str(tmp_path / "o")]
    code, _, err = run("batch", *common, "--reference", str(tmp_path / "nope.yaml"))
    assert code == 2 and "no such file" in err and "nope.yaml" in err
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nsteps:\n  - probe: a ->\n")
    code, out, err = run("batch", *common, "--reference", str(bad))
    assert code == 2 and str(bad) in err and out == ""
    assert not (tmp_path / "o").exists()
