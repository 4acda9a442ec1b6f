"""Reading a Dockerfile for the minimal docker build."""

from __future__ import annotations

import pytest

from netsim.docker.build import Instruction, NotModelled, read_dockerfile


def test_instructions_are_read_in_order_with_comments_skipped() -> None:
    text = '# base\nFROM busybox\n\nenv MODE=test\nCMD ["sleep", "1"]\n'
    assert read_dockerfile(text) == [
        Instruction("FROM", "busybox", "FROM busybox"),
        Instruction("ENV", "MODE=test", "env MODE=test"),
        Instruction("CMD", '["sleep", "1"]', 'CMD ["sleep", "1"]'),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ENV A=b\nFROM busybox\n",
        "FROM busybox\nCOPY . /app\n",
        "FROM busybox\nRUN echo a \\\n  b\n",
        "FROM busybox\nFROM alpine\n",
    ],
)
def test_what_the_model_does_not_read_is_refused(text: str) -> None:
    with pytest.raises(NotModelled):
        read_dockerfile(text)
