"""The prompt an image's interactive shell prints, as the official image's shell prints it.

A session (``docker exec -it NAME sh``) shows the prompt before every typed
line. What it looks like depends on the real image, not on netsim's stand-in:
- busybox and alpine: BusyBox ash, whose root prompt is ``\\w \\$ ``, so
  ``/ # `` in ``/``;
- the Debian- and Ubuntu-based images: ``sh`` is dash (``# `` for root) and
  ``bash`` reads /etc/bash.bashrc, whose PS1 is ``\\u@\\h:\\w\\$ ``, so
  ``root@<hostname>:/# `` (the hostname is the container's short ID unless
  ``--hostname`` gives one), in the image's WORKDIR.
"""

from __future__ import annotations

from netsim.docker.images import IMAGES_WITH_BASH

# WORKDIR of the official images that set one (`docker inspect -f
# '{{.Config.WorkingDir}}'` of redis, httpd and tomcat); the others work in /.
WORKDIRS = {"redis": "/data", "httpd": "/usr/local/apache2", "tomcat": "/usr/local/tomcat"}


def shell_prompt(image: str, program: str, hostname: str, *, debian: bool | None = None) -> str:
    """Return the prompt of PROGRAM (``sh``, ``ash``, ``bash``) run as root in IMAGE.

    DEBIAN says whether the image is Debian-based (a declared image with
    ``packages:`` is); None: decided by the catalog image's name.
    """
    workdir = WORKDIRS.get(image, "/")
    if debian is None:
        debian = image in IMAGES_WITH_BASH
    if debian:
        if program == "bash":
            return f"root@{hostname}:{workdir}# "
        return "# "
    return f"{workdir} # "
