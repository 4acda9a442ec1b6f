"""Print the programs on $PATH in the Debian stand-in (netsim/docker/toolsets.py DEBIAN_PROGRAMS).

Run on a Debian 12 host that has every package of ``DEBIAN_PACKAGES``
installed (every Debian 12 system has them): the programs are the files
``dpkg -L`` lists under the image's $PATH directories, plus the links the
packages' maintainer scripts make with update-alternatives.

    PYTHONPATH=$PWD python scripts/debian_toolset.py
"""

from __future__ import annotations

import subprocess

from netsim.docker.toolsets import DEBIAN_ALTERNATIVES, DEBIAN_PACKAGES, PATH_DIRECTORIES


def debian_programs() -> list[str]:
    """Return the sorted program names the Debian stand-in has on $PATH."""
    listing = subprocess.run(
        ["dpkg", "-L", *DEBIAN_PACKAGES], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    names = {
        path.rsplit("/", 1)[1]
        for path in listing
        if path.rsplit("/", 1)[0] in PATH_DIRECTORIES and path.rsplit("/", 1)[1]
    }
    return sorted(names | set(DEBIAN_ALTERNATIVES))


if __name__ == "__main__":
    print(" ".join(debian_programs()))
