"""Unit tests of reading scenario YAML: encodings, syntax errors, limits, aliases and tags."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from yaml.nodes import MappingNode, Node, SequenceNode

from netsim.errors import ScenarioError
from netsim.scenario import yamlsource
from netsim.scenario.yamlsource import MAX_BYTES, MAX_DEPTH, line_of
from netsim.session import load_scenario, load_scenario_text

FILE = "t.yaml"
VALID = "name: ok\nsteps: [docker ps]\n"


def error_of(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError, match=re.escape(FILE)) as info:
        load_scenario_text(text, FILE)
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("name: x\nsteps: [ls\n", 3, "invalid YAML at column 1: expected ',' or ']'"),
        (
            "name: x\nsteps:\n  - probe: a -> b: 80\n",
            3,
            "invalid YAML at column 18: mapping values are not allowed here (a value containing",
        ),
        ("name: x\nsteps:\n\t- ls\n", 3, "(indent with spaces, not tabs)"),
        ("name: x\nsteps: [*nope]\n", 2, "found undefined alias 'nope'"),
        ("name: x\nsteps: ['ls\n", 3, "(while scanning a quoted scalar at line 2)"),
        (
            "name: &a x\ndescription: &a y\nsteps: [ls]\n",
            2,
            "duplicate anchor 'a' (first at line 1)",
        ),
        ("name: x\nsteps: [ls]\n---\nname: y\n", 3, "a scenario is one YAML document"),
        ("name: x\nsteps: [ls]\nfoo: \x07\n", 3, "at column 6: character U+0007 is not allowed"),
    ],
)
def test_yaml_syntax_errors_give_line_and_column(text: str, line: int, fragment: str) -> None:
    error = error_of(text)
    assert error.line == line
    assert fragment in error.message
    assert str(error).startswith(f"{FILE}:{line}: invalid YAML")


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# just a comment\n", "---\n", "--- # nothing\n...\n"]
)
def test_empty_document_is_refused(text: str) -> None:
    error = error_of(text)
    assert "the scenario is empty" in error.message and error.line == 1


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("- ls\n- ps\n", "a list"),
        ("hello\n", 'the string "hello"'),
        ("42\n", "the integer 42"),
        ("null\n", "nothing (null)"),
    ],
)
def test_top_level_must_be_a_mapping(text: str, what: str) -> None:
    error = error_of("# c\n" + text)
    assert error.message == f"expected a mapping at the top level (name:, steps:, ...), got {what}"
    assert error.line == 2


def test_non_utf8_file_names_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: x\ndescription: caf\xe9\nsteps: [ls]\n")
    with pytest.raises(
        ScenarioError, match=r"latin1\.yaml:2: the file is not UTF-8 text \(byte 0xe9"
    ):
        load_scenario(path)


def test_utf8_bom_and_non_ascii_text_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: x\ndescription: café ☕\nsteps: [ls]\n".encode())
    assert load_scenario(path).description == "café ☕"


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"name: x\nsteps: [ls]\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(ScenarioError, match=r"big\.yaml: the file is larger than 1024 KiB"):
        load_scenario(path)


def test_oversized_text_is_refused() -> None:
    with pytest.raises(ScenarioError, match="longer than 1024 KiB"):
        load_scenario_text("#" * (MAX_BYTES + 1), FILE)


def test_unreadable_path_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"missing\.yaml: cannot read the file: No such file"):
        load_scenario(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path)


def test_deep_nesting_is_refused_quickly() -> None:
    error = error_of("name: x\nsteps: [ls]\ndescription: " + "[" * 100_000 + "]" * 100_000)
    assert f"nested more than {MAX_DEPTH} levels deep" in error.message
    assert error.line == 3


def test_too_many_nodes_is_refused() -> None:
    text = "name: x\nsteps: [ls]\ndescription: [" + "1," * 60_000 + "1]\n"
    assert "more than 50000 YAML nodes" in error_of(text).message


def test_billion_laughs_fails_fast() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    text = "\n".join(lines) + "\nname: x\nsteps: *a9\n"
    started = time.process_time()
    error = error_of(text)
    assert time.process_time() - started < 2
    assert error.key == "a0"  # unknown key, reported before anything is expanded


def test_aliases_fanning_out_through_images_hit_the_visit_budget() -> None:
    ports = ", ".join(f"{p}/tcp" for p in range(1, 2001))
    images = "\n".join(f"  img{i}: *big" for i in range(990))
    text = (
        f"name: x\nsteps: [ls]\nhost:\n  listen: &ports [{ports}]\n"
        f"images:\n  img: &big {{expose: *ports, listen: *ports}}\n{images}\n"
    )
    started = time.process_time()
    error = error_of(text)
    assert time.process_time() - started < 30
    assert "expands to more than 200000 values through aliases" in error.message


def test_too_many_aliases_are_refused() -> None:
    text = "name: &n x\nsteps: [ls]\ndescription: [" + ", ".join(["*n"] * 1001) + "]\n"
    assert "more than 1000 aliases" in error_of(text).message


def test_recursive_merge_is_refused() -> None:
    text = "name: x\nsteps: [ls]\nhost: &h\n  <<: *h\n"
    error = error_of(text)
    assert error.line in (3, 4)  # an undefined alias at composition time, or a self-merge


def test_recursive_alias_in_a_list_is_a_type_error_not_a_hang() -> None:
    error = error_of("name: x\nsteps: &s [ls, *s]\n")
    assert error.key == "steps[1]" and "got a list" in error.message


def test_merge_needs_a_mapping() -> None:
    error = error_of("name: x\nsteps: [ls]\nhost:\n  <<: [1]\n")
    assert (
        error.key == "host" and "a '<<' merge needs a mapping, got the integer 1" in error.message
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("name: x\nsteps: [ls]\nhost: !!python/object:os.system {}\n", "!!python/object:os.system"),
        ("name: !custom x\nsteps: [ls]\n", "!custom"),
        ("name: x\nsteps: !!set {ls}\n", None),
        ("name: x\nsteps: [ls]\nhost: {listen: !!omap [a: 1]}\n", "!!omap"),
        ("name: x\nsteps: [ls]\nhost: {address: !!binary aGk=}\n", "!!binary"),
    ],
)
def test_only_core_yaml_tags_are_accepted(text: str, shown: str | None) -> None:
    error = error_of(text)
    if shown is not None:
        assert f"unsupported YAML tag {shown}" in error.message


def test_bad_explicit_scalar_is_a_scenario_error() -> None:
    error = error_of("name: x\nsteps: [ls]\nhost: {address: !!int abc}\n")
    assert error.key == "host.address" and "invalid int value 'abc'" in error.message


def test_invalid_date_is_a_scenario_error() -> None:
    error = error_of("name: x\nsteps: [ls]\ndescription: 2024-13-45\n")
    assert error.key == "description" and error.line == 3


def test_date_where_a_string_belongs_is_a_type_error() -> None:
    error = error_of("name: x\nsteps: [ls]\ndescription: 2024-01-05\n")
    assert error.message == 'expected a string, got the date 2024-01-05 (quote it: "2024-01-05")'


def test_duplicate_keys_anywhere_name_both_lines() -> None:
    error = error_of("name: x\nsteps: [ls]\nhost:\n  address: 10.0.0.1/8\n  address: 10.0.0.2/8\n")
    assert (
        str(error) == 't.yaml:5: host.address: duplicate key "address": also at line 4; '
        "a key may appear only once"
    )
    error = error_of("name: x\nname: y\nsteps: [ls]\n")
    assert (error.line, error.key) == (2, "name") and "also at line 1" in error.message


def test_quoted_and_plain_duplicate_keys_are_the_same_name() -> None:
    error = error_of('name: x\n"name": y\nsteps: [ls]\n')
    assert "duplicate key" in error.message


def test_merged_keys_do_not_count_as_duplicates() -> None:
    text = (
        "name: x\nsteps: [ls]\nmachines:\n  a: &a {address: 192.168.1.2/24}\n"
        "  b:\n    <<: *a\n    address: 192.168.1.3/24\n"
    )
    assert load_scenario_text(text, FILE).machines[1].address.ip.packed[-1] == 3


def test_complex_key_is_refused() -> None:
    error = error_of("name: x\nsteps: [ls]\n? [a, b]\n: 1\n")
    assert "expected a name as key, got a list" in error.message


def test_a_valid_text_loads() -> None:
    assert load_scenario_text(VALID).path == "<string>"


# -- libyaml's parser and PyYAML's own read every text alike ---------------

REPO = Path(__file__).resolve().parents[2]
CORPUS = sorted(
    path.relative_to(REPO).as_posix()
    for folder in ("scenarios", "docs", "tests")
    for path in (REPO / folder).rglob("*.y*ml")
    if path.name != "not-utf8.yaml"  # refused before any YAML is read
)
# Texts where libyaml, left to itself, reads otherwise than PyYAML (found by
# comparing the two on generated texts), and the hostile classics.
DIFFERENT_IN_LIBYAML = [
    "name: x\nsteps: [x?y]\n",
    "name: x\nsteps: [ls,\tpwd]\n",
    "name: x\nsteps:\n  - ls\t# tab\n",
    "name: x\ndescription: |#\n  x\nsteps: [ls]\n",
    "name: x\ndescription: |\n  \tx\nsteps: [ls]\n",
    "name: x\ndescription: !\nsteps: [ls]\n",
    "name: x\nsteps: [ls]\ndescription:\n  ---",
    "name: x\nsteps: [ls]\n?",
    "name: x\nsteps: [ls]\ndescription: a\u2028b\n",
    "name: x\nsteps: [ls]\ndescription: \ufeff]\n",
    "name: x\nsteps: [ls]\nhost: !!python/object/apply:os.system [echo]\n",
    "name: x\nname: y\nsteps: [ls]\n",
    "name: x\nsteps: [ls]\ndescription: " + "[" * 5000 + "]" * 5000 + "\n",
    "name: x\nsteps: [ls]\ndescription: " + "[" * 500 + "]" * 500 + "\n",
    "name: &n x\nsteps: [ls]\ndescription: [" + ", ".join(["*n"] * 1001) + "]\n",
    "name: x\nsteps: [ls]\nfoo: \x07\n",
]


def _shape(node: Node | None, seen: dict[int, int]) -> object:
    """Return everything the loader reads of a node graph, aliases as references."""
    if node is None:
        return None
    if id(node) in seen:
        return ("alias of", seen[id(node)])
    seen[id(node)] = len(seen)
    head = (type(node).__name__, node.tag, line_of(node))
    if isinstance(node, MappingNode):
        return (*head, [(_shape(k, seen), _shape(v, seen)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return (*head, [_shape(item, seen) for item in node.value])
    return (*head, node.value)


def _read(text: str) -> object:
    try:
        return _shape(yamlsource.compose(text, FILE).root, {})
    except ScenarioError as exc:
        return str(exc)


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = _read(text)
    with monkeypatch.context() as patch:
        patch.setattr(yamlsource, "_FAST_LOADER", None)
        pure = _read(text)
    return fast, pure


needs_libyaml = pytest.mark.skipif(
    yamlsource._FAST_LOADER is None, reason="this PyYAML has no libyaml"
)


@needs_libyaml
@pytest.mark.parametrize("name", CORPUS)
def test_every_yaml_file_of_the_project_reads_alike_with_libyaml(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both((REPO / name).read_text(encoding="utf-8"), monkeypatch)
    assert fast == pure


@needs_libyaml
@pytest.mark.parametrize("text", DIFFERENT_IN_LIBYAML)
def test_texts_libyaml_reads_otherwise_get_pyyamls_answer(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, pure = _both(text, monkeypatch)
    assert fast == pure


@needs_libyaml
def test_generated_texts_read_alike_with_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100,000 such texts (seeds 1-3) showed no difference; a few thousand here.
    rng = random.Random(13)
    pieces = list("ab:?-,[]{}&*!|>'\"#%@ \n.=<1\r\t\x85") + [
        "---",
        "...",
        "!!str ",
        "<<",
        "|-",
        ">2",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        fast, pure = _both(text, monkeypatch)
        assert fast == pure, repr(text)


@needs_libyaml
def test_plain_text_takes_the_libyaml_path_and_odd_text_the_pure_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pure_reads: list[str] = []

    class Spy(yamlsource._LimitedLoader):  # type: ignore[name-defined,misc]
        def __init__(self, stream: str) -> None:
            pure_reads.append(stream)
            super().__init__(stream)

    monkeypatch.setattr(yamlsource, "_LimitedLoader", Spy)
    load_scenario_text(VALID, FILE)
    assert pure_reads == []
    with pytest.raises(ScenarioError, match=r"t\.yaml:1: invalid YAML at column 14: expected"):
        load_scenario_text("steps: [ls, x?y]\nname: x\n", FILE)
    assert pure_reads == ["steps: [ls, x?y]\nname: x\n"]
