"""``ls FILE...`` in a container, of the files netsim models.

netsim knows a container's /etc/hosts, /etc/resolv.conf and /etc/hostname
and the files its shells and ``wget -O`` wrote; ``ls`` names those, one per
line and sorted, as busybox 1.35 and GNU coreutils 9.1 do when standard
output is not a terminal. A missing file gets the real error (busybox:
``ls: X: No such file or directory``, exit 1; GNU: ``ls: cannot access 'X':
No such file or directory``, exit 2), but only where netsim knows it is
missing: a name in the working directory (/) that no image has at its root,
or one in /tmp. Anything else (a directory, no argument, an option, a file
the image has that netsim does not model) says it is not simulated.
"""

from __future__ import annotations

from netsim.docker.client import CommandOutput, not_simulated
from netsim.shell.pipeline import NodeFiles

# What the catalog images have at their root (busybox's and Debian's trees,
# and the entrypoint scripts of the official images): netsim does not model
# them, so ``ls`` of one is not simulated rather than missing.
_ROOT_ENTRIES = frozenset(
    "bin boot dev etc home lib lib32 lib64 libx32 media mnt opt proc root run sbin srv sys tmp "
    "usr var docker-entrypoint.sh docker-entrypoint.d docker-entrypoint-initdb.d".split()
)
# Directories empty in every catalog image: a name there that no shell wrote is missing.
_EMPTY_DIRECTORIES = frozenset({"/tmp"})


def _missing(path: str) -> bool:
    """Return True when netsim knows PATH does not exist in a fresh container."""
    if "/" not in path:
        return path not in _ROOT_ENTRIES and path not in (".", "..")
    directory, _, name = path.rpartition("/")
    if directory == "":
        return name != "" and name not in _ROOT_ENTRIES
    return directory in _EMPTY_DIRECTORIES and name not in ("", ".", "..")


def same_file(files: NodeFiles, path: str) -> str | None:
    """Return the text of PATH, a relative name being the same file as /NAME (the cwd is /)."""
    text = files.read(path)
    if text is not None:
        return text
    if path.startswith("/") and path.count("/") == 1:
        return files.read(path[1:])
    if "/" not in path:
        return files.read("/" + path)
    return None


def run_ls(argv: list[str], files: NodeFiles, *, busybox: bool) -> CommandOutput:
    """Run ``ls PATH...`` (no options) over the files netsim models."""
    paths = argv[1:]
    if not paths or any(p.startswith("-") and p != "-" for p in paths):
        return not_simulated(" ".join(argv[:2]))
    found: list[str] = []
    errors = ""
    for path in paths:
        if same_file(files, path) is not None:
            found.append(path)
        elif _missing(path):
            if busybox:
                errors += f"ls: {path}: No such file or directory\n"
            else:
                errors += f"ls: cannot access '{path}': No such file or directory\n"
        else:
            return not_simulated(f"ls {path}")
    code = 0 if not errors else (1 if busybox else 2)
    return CommandOutput(code, "".join(p + "\n" for p in sorted(found)), errors)
