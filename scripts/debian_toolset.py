"""Print the programs on $PATH in the Debian stand-in (netsim/docker/toolsets.py DEBIAN_PROGRAMS).

Run on a Debian 12 host that has every package of ``DEBIAN_PACKAGES``
installed (every Debian 12 system has them): the programs are the files
``dpkg -L`` lists under the image's $PATH directories, plus the links the
packages' maintainer scripts make with update-alternatives.

    PYTHONPATH=$PWD python scripts/debian_toolset.py

With ``--packages``, print instead each installable package's programs
(``PACKAGE_PROGRAMS``): its own and those of the dependencies apt installs
with it beyond the base (the host must have the package installed).

    PYTHONPATH=$PWD python scripts/debian_toolset.py --packages
"""

from __future__ import annotations

import subprocess
import sys

from netsim.docker.toolsets import (
    DEBIAN_ALTERNATIVES,
    DEBIAN_PACKAGES,
    PACKAGE_ALTERNATIVES,
    PACKAGE_PROGRAMS,
    PATH_DIRECTORIES,
)
from netsim.verify.images import package_closure


def _programs(packages: tuple[str, ...] | list[str]) -> set[str]:
    """Return the names ``dpkg -L`` lists for PACKAGES under the $PATH directories."""
    listing = subprocess.run(
        ["dpkg", "-L", *packages], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    return {
        path.rsplit("/", 1)[1]
        for path in listing
        if path.rsplit("/", 1)[0] in PATH_DIRECTORIES and path.rsplit("/", 1)[1]
    }


def debian_programs() -> list[str]:
    """Return the sorted program names the Debian stand-in has on $PATH."""
    return sorted(_programs(list(DEBIAN_PACKAGES)) | set(DEBIAN_ALTERNATIVES))


def package_programs(package: str) -> list[str]:
    """Return the sorted program names PACKAGE adds to the Debian stand-in."""
    links = {path.rsplit("/", 1)[1] for path in PACKAGE_ALTERNATIVES.get(package, {})}
    return sorted(_programs(package_closure((package,))) | links)


if __name__ == "__main__":
    if sys.argv[1:] == ["--packages"]:
        for name in sorted(PACKAGE_PROGRAMS):
            print(f"{name}: {' '.join(package_programs(name))}")
    else:
        print(" ".join(debian_programs()))
