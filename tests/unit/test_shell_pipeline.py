"""The host shell's lists, pipes, redirections and filters, against the real tools here."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from netsim.docker.client import NOT_SIMULATED_EXIT_CODE, CommandOutput
from netsim.errors import CommandError
from netsim.shell.filters import run_filter
from netsim.shell.pipeline import NodeFiles, run_line
from netsim.shell.syntax import Pipeline, Redirection, SimpleCommand, parse_line

# What `docker ps -a` and `iptables -t nat -L -n` print, the texts tutorials filter.
PS_TEXT = (
    "CONTAINER ID   IMAGE          COMMAND                  STATUS    NAMES\n"
    '0d61e1fb5550   nginx          "/docker-entrypoint.…"   Up        web\n'
    '1a2b3c4d5e6f   mysql:5.6.35   "docker-entrypoint.s…"   Up        db\n'
    '9f8e7d6c5b4a   nginx          "/docker-entrypoint.…"   Exited    web2\n'
    '9f8e7d6c5b4a   nginx          "/docker-entrypoint.…"   Exited    web2\n'
    '7777aaaa8888   busybox        "sleep 3600"             Up        Web-3\n'
)
NAT_TEXT = (
    "Chain DOCKER (2 references)\n"
    "target     prot opt source               destination         \n"
    "RETURN     all  --  0.0.0.0/0            0.0.0.0/0           \n"
    "DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:12345 "
    "to:172.17.0.2:3306\n"
    "DNAT       tcp  --  0.0.0.0/0            0.0.0.0/0            tcp dpt:8080 "
    "to:172.17.0.3:80\n"
)


def _netsim(line: str, files: NodeFiles) -> CommandOutput:
    def run_program(argv: list[str], stdin: str) -> CommandOutput:
        found = run_filter(argv, stdin, files.read, busybox=False)
        if found is not None:
            return found
        if argv[0] == "echo":
            return CommandOutput(0, " ".join(argv[1:]) + "\n")
        if argv[0] == "false":
            return CommandOutput(1)
        return CommandOutput(127, "", f"sh: 1: {argv[0]}: not found\n")

    return run_line(line, run_program, files, busybox=False)


LINES = [
    "cat {ps} | grep web",
    "cat {ps} | grep -i web",
    "cat {ps} | grep -v web",
    "cat {ps} | grep -c web",
    "cat {ps} | grep -E 'web|db'",
    "cat {ps} | grep 'web\\|db'",
    "cat {ps} | grep -n -w web",
    "cat {ps} | grep -vic up",
    "grep web {ps}",
    "grep nothing {ps}",
    "grep web {ps} {nat}",
    "cat {nat} | grep DNAT",
    "cat {nat} | grep -E 'dpt:[0-9]+' | awk '{{print $1, $NF}}'",
    "cat {ps} | head -3",
    "cat {ps} | head -n 2",
    "cat {ps} | tail -2",
    "cat {ps} | tail -n +5",
    "head -2 {ps} {nat}",
    "cat {ps} | wc -l",
    "wc -l {ps}",
    "cat {ps} | wc",
    "cat {ps} | wc -w",
    "cat {ps} | sort",
    "cat {ps} | sort -r",
    "cat {ps} | sort | uniq",
    "cat {ps} | sort | uniq -c",
    "cat {ps} | uniq -d",
    "cat {ps} | awk '{{print $1}}'",
    "cat {ps} | awk '/Up/ {{print $2}}'",
    "cat {ps} | awk -F'\"' '{{print $2}}'",
    "cat {ps} | cut -c1-12",
    "cat {ps} | cut -d' ' -f1",
    "cat {nat} | cut -d: -f2",
    "cat {nat} | sort -k2",
    "cat {nat} | sort -t: -k2 -n",
    "less {ps} | more | grep db",
    "echo one && echo two",
    "false && echo not-printed",
    "false || echo rescued",
    "false; echo after",
    "echo a | grep b || echo none",
    "grep db {ps} && echo found || echo absent",
    "cat {missing}",
    "grep x {missing}",
    "head {missing}",
    "nosuchprogram | grep x",
    "echo 'a|b' | grep '|'",
]


@pytest.mark.parametrize("template", LINES)
def test_a_line_prints_what_dash_and_gnu_tools_print(template: str, tmp_path: Path) -> None:
    if shutil.which("grep") is None or Path("/bin/dash").exists() is False:
        pytest.skip("needs dash and GNU tools on this machine")
    paths = {"ps": tmp_path / "ps.txt", "nat": tmp_path / "nat.txt"}
    paths["ps"].write_text(PS_TEXT)
    paths["nat"].write_text(NAT_TEXT)
    names = {key: str(path) for key, path in paths.items()} | {"missing": "/nonexistent"}
    line = template.format(**names)
    files = NodeFiles({names["ps"]: PS_TEXT, names["nat"]: NAT_TEXT})
    real = subprocess.run(
        ["sh", "-c", line],
        executable="/bin/dash",
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    ours = _netsim(line, files)
    assert (ours.exit_code, ours.stdout, ours.stderr) == (real.returncode, real.stdout, real.stderr)


def test_redirections_write_the_node_files_and_read_them_back() -> None:
    files = NodeFiles({"/etc/hostname": "host\n"})
    assert _netsim("echo one > /tmp/out", files) == CommandOutput(0)
    assert _netsim("echo two >> /tmp/out", files) == CommandOutput(0)
    assert _netsim("cat /tmp/out", files) == CommandOutput(0, "one\ntwo\n")
    assert _netsim("grep -c o < /tmp/out", files) == CommandOutput(0, "2\n")
    assert _netsim("cat /tmp/out > /dev/null", files) == CommandOutput(0)
    assert _netsim("cat /nope 2> /dev/null", files) == CommandOutput(1)
    assert _netsim("cat /nope 2>&1 | wc -l", files) == CommandOutput(0, "1\n")
    assert "/dev/null" not in files.written


def test_an_option_the_model_does_not_read_says_not_simulated() -> None:
    result = run_filter(["grep", "-P", "x"], "x\n", lambda path: None, busybox=False)
    assert result == CommandOutput(
        NOT_SIMULATED_EXIT_CODE, "", "netsim: 'grep -P x' is not simulated\n"
    )
    awk = run_filter(["awk", "{s+=$1} END {print s}"], "1\n", lambda path: None, busybox=False)
    assert awk is not None and awk.exit_code == NOT_SIMULATED_EXIT_CODE


def test_a_program_that_is_not_a_filter_is_left_to_the_shell() -> None:
    assert run_filter(["iptables", "-L"], "", lambda path: None, busybox=False) is None


def test_busybox_words_a_missing_file_as_busybox_does() -> None:
    result = run_filter(["head", "/nope"], "", lambda path: None, busybox=True)
    assert result == CommandOutput(1, "", "head: can't open '/nope': No such file or directory\n")


def test_a_line_reads_into_pipelines_and_redirections() -> None:
    assert parse_line("docker ps -a | grep web > out.txt && echo 'a | b'") == (
        Pipeline(
            (
                SimpleCommand(("docker", "ps", "-a")),
                SimpleCommand(("grep", "web"), (Redirection(">", "out.txt"),)),
            )
        ),
        Pipeline((SimpleCommand(("echo", "a | b")),), "&&"),
    )
    assert parse_line('echo "a b"c\\ d # comment') == (
        Pipeline((SimpleCommand(("echo", "a bc d")),)),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("a |", "Syntax error: end of file unexpected"),
        ("| a", 'Syntax error: "\\|" unexpected'),
        ("a && && b", 'Syntax error: "&&" unexpected'),
        ("a &&", "Syntax error: end of file unexpected"),
        ("echo 'x", "Syntax error: Unterminated quoted string"),
        ("a ;; b", 'Syntax error: ";;" unexpected'),
        ("a >", "Syntax error: end of file unexpected"),
    ],
)
def test_a_syntax_error_is_worded_as_dash_words_it(line: str, message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        parse_line(line)
    assert caught.value.exit_code == 2
    real = subprocess.run(
        ["sh", "-c", line], executable="/bin/dash", capture_output=True, text=True, check=False
    )
    assert (real.returncode, real.stderr) == (2, caught.value.stderr)


def test_busybox_words_its_syntax_errors_its_own_way() -> None:
    with pytest.raises(CommandError, match='sh: syntax error: unexpected "\\|"'):
        parse_line("| a", busybox=True)


def test_an_overlong_line_is_refused() -> None:
    with pytest.raises(CommandError, match="longer than 4000000"):
        parse_line("x" * 4_000_001)


def test_a_command_substitution_becomes_words_of_the_command() -> None:
    files = NodeFiles({"/ids": "a1\nb2\n"})
    assert _netsim("echo $(cat /ids) end", files) == CommandOutput(0, "a1 b2 end\n")
    assert _netsim("echo x $(cat /nope)", files) == CommandOutput(
        0, "x\n", "cat: /nope: No such file or directory\n"
    )
    with pytest.raises(CommandError, match="end of file unexpected"):
        parse_line("echo $(cat /ids")


def test_exit_ends_the_rest_of_the_line() -> None:
    files = NodeFiles({})

    def run_program(argv: list[str], stdin: str) -> CommandOutput:
        if argv[0] == "exit":
            return CommandOutput(int(argv[1]))
        return CommandOutput(0, " ".join(argv[1:]) + "\n")

    assert run_line("echo a; exit 3; echo b", run_program, files, busybox=True) == CommandOutput(
        3, "a\n"
    )
