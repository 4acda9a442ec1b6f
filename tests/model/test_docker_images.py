"""Image commands against a small world: what a user sees, refusals included."""

from __future__ import annotations

import pytest

from netsim.docker.client import NOT_SIMULATED_EXIT_CODE
from netsim.errors import ScenarioError
from netsim.scenario.spec import CommandStep
from netsim.session import load_scenario_text, open_world
from netsim.session.replay import run_command
from netsim.world import World

SCENARIO = """
name: images
steps:
  - docker run -d --name web nginx
  - docker create --name box busybox
"""


def _world(engine: str = "28.5", text: str = SCENARIO) -> World:
    scenario = load_scenario_text(text)
    world = open_world(scenario, engine=engine)
    for step in scenario.steps:
        assert isinstance(step, CommandStep)
        run_command(world, step)
    return world


def _run(world: World, line: str) -> tuple[int, str, str]:
    record = run_command(world, CommandStep(index=0, line=1, command=line))
    return record.exit_code, record.stdout, record.stderr


def test_the_host_starts_with_the_images_the_steps_run() -> None:
    world = _world()
    assert _run(world, "docker images --format '{{.Repository}}:{{.Tag}}'") == (
        0,
        "busybox:latest\nnginx:latest\n",
        "",
    )


def test_rmi_by_id_refuses_an_image_in_several_repositories_unless_forced() -> None:
    world = _world()
    _run(world, "docker tag busybox mybox:1")
    image_id = _run(world, "docker images -q busybox")[1].strip()
    assert _run(world, "docker images -q --filter reference='*box*'")[1] == image_id + "\n"
    code, _, err = _run(world, f"docker rmi {image_id}")
    assert code == 1
    assert err == (
        f"Error response from daemon: conflict: unable to delete {image_id} (must be forced)"
        " - image is referenced in multiple repositories\n"
    )


def test_rmi_by_id_refuses_an_image_a_stopped_container_uses() -> None:
    world = _world()
    image_id = _run(world, "docker images -q busybox")[1].strip()
    code, _, err = _run(world, f"docker rmi {image_id}")
    assert code == 1
    assert err.startswith(
        f"Error response from daemon: conflict: unable to delete {image_id} (must be forced)"
        " - image is being used by stopped container "
    )


def test_rmi_force_untags_an_image_in_use_and_keeps_going() -> None:
    world = _world()
    code, out, _ = _run(world, "docker rmi -f busybox nosuch")
    assert code == 0
    assert out.startswith("Untagged: busybox:latest\nDeleted: sha256:")
    assert _run(world, "docker images -q busybox") == (0, "", "")


def test_a_missing_image_is_worded_as_each_cli_words_it() -> None:
    assert _run(_world("20.10"), "docker rmi nosuch") == (1, "", "Error: No such image: nosuch\n")
    assert _run(_world("28.5"), "docker rmi nosuch") == (
        1,
        "",
        "Error response from daemon: No such image: nosuch:latest\n",
    )


def test_commit_makes_an_image_with_the_containers_config_and_its_history() -> None:
    world = _world("20.10")
    code, out, _ = _run(world, "docker commit -a me -m 'a note' -c 'CMD [\"top\"]' web snap:1")
    assert code == 0 and out.startswith("sha256:")
    assert _run(world, "docker inspect snap:1 --format '{{.Author}}|{{.Comment}}|{{.Config.Cmd}}'")[
        1
    ] == ("me|a note|[top]\n")
    history = _run(world, "docker history --format '{{.CreatedBy}}|{{.Size}}|{{.Comment}}' snap:1")
    assert history == (0, "nginx -g daemon off;|0B|a note\n|72.1MB|Imported from -\n", "")
    # The committed image runs, with its own command.
    assert _run(world, "docker run -d --name snap snap:1")[0] == 0


def test_commit_refuses_an_instruction_it_does_not_take() -> None:
    code, _, err = _run(_world(), "docker commit -c 'RUN true' web x")
    assert (code, err) == (1, "Error response from daemon: RUN is not a valid change command\n")


def test_a_registry_with_a_container_behind_it_is_not_simulated() -> None:
    world = _world()
    _run(world, "docker run -d --name registry -p 5000:5000 busybox sleep 3600")
    assert _run(world, "docker pull localhost:5000/app") == (
        NOT_SIMULATED_EXIT_CODE,
        "",
        "netsim: 'docker pull' is not simulated\n",
    )


def test_local_images_empty_makes_every_run_pull() -> None:
    world = open_world(load_scenario_text(SCENARIO + "local-images: []\n"))
    code, _, err = _run(world, "docker run --rm busybox true")
    assert code == 125
    assert err.startswith("Unable to find image 'busybox:latest' locally\ndocker: Error response")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[Busybox]", r"local-images\[0\]: expected an image reference such as busybox:latest"),
        ("[nosuchimage]", r"local-images\[0\]: unknown image \"nosuchimage\""),
        ("busybox", r"local-images: expected a list of image references"),
    ],
)
def test_local_images_refuses_what_is_not_a_known_image(value: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        load_scenario_text(SCENARIO + f"local-images: {value}\n")


def test_a_run_of_an_image_no_earlier_line_makes_is_refused_at_load() -> None:
    with pytest.raises(ScenarioError, match=r'unknown image "snap:1"'):
        load_scenario_text(SCENARIO + "  - docker run snap:1\n")
    load_scenario_text(SCENARIO + "  - docker commit web snap:1\n  - docker run snap:1\n")


def test_build_from_stdin_makes_a_tagged_image_with_the_dockerfiles_config() -> None:
    world = _world("20.10")
    lines = ["FROM busybox", "EXPOSE 8000", "RUN echo hi", 'CMD ["sleep", "60"]']
    _run(world, f"echo '{lines[0]}' > /tmp/Dockerfile")
    for line in lines[1:]:
        _run(world, f"echo '{line}' >> /tmp/Dockerfile")
    code, out, err = _run(world, "docker build -t app:1 - < /tmp/Dockerfile")
    assert (code, err) == (0, "")
    assert "Step 3/4 : RUN echo hi\n ---> Running in " in out
    assert "\nhi\nRemoving intermediate container " in out
    assert out.endswith("Successfully tagged app:1\n")
    assert _run(world, "docker inspect app:1 --format '{{.Config.Cmd}} {{.Config.ExposedPorts}}'")[
        1
    ] == ("[sleep 60] map[8000/tcp:{}]\n")
    # The intermediate images list only with -a.
    assert "<none>" not in _run(world, "docker images")[1]
    assert "<none>" in _run(world, "docker images -a")[1]


def test_build_of_a_context_directory_is_not_simulated() -> None:
    assert _run(_world(), "docker build -t app .") == (
        NOT_SIMULATED_EXIT_CODE,
        "",
        "netsim: 'docker build' is not simulated\n",
    )
