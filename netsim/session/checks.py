"""The scenario checks that need the layers above the loader: engines, images, packets."""

from __future__ import annotations

from netsim.dataplane.packets import parse_layers
from netsim.docker.commandline import run_image
from netsim.docker.engines import engine_names
from netsim.docker.images import CATALOG, find_image
from netsim.scenario.loader import ScenarioChecks
from netsim.scenario.spec import ImageSpec
from netsim.scenario.words import split_words
from netsim.scenario.yamlsource import quote


def image_problem(command: str, images: tuple[ImageSpec, ...]) -> str | None:
    """Return why a ``docker run``/``create`` line names an image netsim cannot run, or None.

    An image runs when it is in netsim's catalog or declared under ``images:``.
    """
    image = run_image(split_words(command))
    if image is None or find_image(image, images) is not None:
        return None
    catalog = ", ".join(spec.name for spec in CATALOG)
    return (
        f"unknown image {quote(image)}; use a catalog image ({catalog}) "
        f"or declare it under images:, e.g. images: {{{image}: {{expose: [8000/tcp], "
        "listen: [8000/tcp]}}}}"
    )


SCENARIO_CHECKS = ScenarioChecks(
    engines=engine_names(), image_problem=image_problem, packet_syntax=parse_layers
)
