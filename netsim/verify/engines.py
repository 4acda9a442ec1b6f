"""Install and locate the real Docker engines a replay runs on (20.10 and 28.5).

Docker 20.10.24 comes from the machine's own Debian 12 suite (``docker.io``,
with its own 20.10 CLI at /usr/bin/docker). Docker 28.5.2 and its CLI come from
Debian's newer suites; they are downloaded, never installed, and unpacked with
``dpkg -x`` into a cache folder, where that ``dockerd`` runs with the system's
libc, containerd and runc (real-docker.md, "Getting the engines").
Docker Compose v2 (Debian's ``docker-compose`` 2.26 from trixie) is unpacked
the same way and linked as a CLI plugin into each engine's own DOCKER_CONFIG
folder (``cli-plugins/docker-compose``), so ``docker compose`` runs with each
version's CLI. The distribution registry 2.8 (Debian 12's ``docker-registry``)
is unpacked the same way; the replay serves it as the ``registry`` image's
service (real-docker.md, "A registry").

The package archive's address is read from the machine's own
``/etc/apt/sources.list.d/debian.sources`` at run time; no host name is
written anywhere in the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from netsim.errors import VerifyError

CACHE_ROOT = Path("/var/cache/netsim-engines")
DEBIAN_SOURCES = Path("/etc/apt/sources.list.d/debian.sources")
APT_PACKAGES = ("docker.io", "busybox-static", "iptables", "iproute2")
NEW_SUITES = ("trixie", "forky", "sid")
PACKAGE_VERSION_285 = "28.5.2+dfsg4-5"
PACKAGE_VERSION_COMPOSE = "2.26.1-4"
COMPOSE_BANNER = "Docker Compose version 2.26."
PACKAGE_VERSION_REGISTRY = "2.8.2+ds1-1"
# `docker-registry --version` prints its own path, then this.
REGISTRY_BANNER = "github.com/docker/distribution 2.8."
# Tools a replay needs on the machine, besides the engines themselves.
REQUIRED_TOOLS = ("containerd", "runc", "iptables", "ip", "nsenter", "unshare", "busybox")
SYSTEM_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Engine:
    """One engine profile on this machine: a dockerd and the docker CLI of its version.

    ``bin_dir`` holds a ``docker`` link to the version's own CLI and goes first
    on the host shell's PATH; ``sbin_dir`` goes first on dockerd's PATH so it
    runs its own ``docker-proxy``.
    """

    version: str
    dockerd: Path
    cli: Path
    sbin_dir: Path
    bin_dir: Path
    config_dir: Path

    @property
    def compose_plugin(self) -> Path:
        """Return where the Compose CLI plugin of this engine's CLI is linked."""
        return self.config_dir / "cli-plugins" / "docker-compose"

    def daemon_path(self) -> str:
        """Return the PATH dockerd runs with."""
        return f"{self.sbin_dir}:{SYSTEM_PATH}"

    def shell_path(self) -> str:
        """Return the PATH of the host's shell (the version's CLI first)."""
        return f"{self.bin_dir}:{SYSTEM_PATH}"


def _layout_2010(cache_root: Path) -> Engine:
    """Docker 20.10 is installed from Debian's packages; its CLI is linked under the cache."""
    return Engine(
        version="20.10",
        dockerd=Path("/usr/sbin/dockerd"),
        cli=Path("/usr/bin/docker"),
        sbin_dir=Path("/usr/sbin"),
        bin_dir=cache_root / "20.10" / "bin",
        config_dir=cache_root / "20.10" / "config",
    )


def _layout_285(cache_root: Path) -> Engine:
    """Docker 28.5 is unpacked under the cache, daemon and CLI side by side."""
    root = cache_root / "28.5"
    return Engine(
        version="28.5",
        dockerd=root / "usr" / "sbin" / "dockerd",
        cli=root / "usr" / "bin" / "docker",
        sbin_dir=root / "usr" / "sbin",
        bin_dir=root / "bin",
        config_dir=root / "config",
    )


def engine_layout(version: str, cache_root: Path = CACHE_ROOT) -> Engine:
    """Return where the files of engine ``version`` live (they may not exist yet)."""
    real = REAL_ENGINES.get(version)
    if real is None:
        raise VerifyError(f"unknown engine {version!r}: expected one of {', '.join(REAL_ENGINES)}")
    return real.layout(cache_root)


def _version_of(binary: Path) -> str:
    """Return what ``BINARY --version`` prints, or ``""`` when it cannot run."""
    try:
        done = subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip()


def _engine_problem(engine: Engine, *, check_link: bool = True) -> str | None:
    """Return why ``engine`` is not ready to run, or ``None`` when it is."""
    want = REAL_ENGINES[engine.version].banner
    for binary in (engine.dockerd, engine.cli):
        if not binary.exists():
            return f"{binary} is missing"
        if not _version_of(binary).startswith(want):
            return f"{binary} is not {want.removeprefix('Docker version ')}x"
    link = engine.bin_dir / "docker"
    if check_link and (not link.exists() or link.resolve() != engine.cli.resolve()):
        return f"{link} does not point at {engine.cli}"
    return None


def unavailable_reason(version: str, cache_root: Path = CACHE_ROOT) -> str | None:
    """Return why engine ``version`` cannot run a replay here, or ``None`` when it can.

    This is what the live conformance tests print when they skip.
    """
    if not sys.platform.startswith("linux"):
        return f"real engines need Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return "real engines need root (network namespaces, mounts, dockerd)"
    missing = [tool for tool in REQUIRED_TOOLS if shutil.which(tool, path=SYSTEM_PATH) is None]
    if missing:
        return f"missing tools {', '.join(missing)}: run python -m netsim.verify setup"
    problem = _engine_problem(engine_layout(version, cache_root))
    if problem:
        return f"Docker {version} is not set up ({problem}): run python -m netsim.verify setup"
    return None


def compose_binary(cache_root: Path = CACHE_ROOT) -> Path:
    """Return where the unpacked Docker Compose v2 binary lives (it may not exist yet)."""
    return cache_root / "compose" / "usr" / "libexec" / "docker" / "cli-plugins" / "docker-compose"


def _compose_version(binary: Path) -> str:
    """Return what ``docker-compose version`` prints, or ``""`` when it cannot run."""
    try:
        done = subprocess.run(
            [str(binary), "version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip()


def compose_unavailable_reason(version: str, cache_root: Path = CACHE_ROOT) -> str | None:
    """Return why ``docker compose`` cannot run with engine ``version``'s CLI, or ``None``."""
    reason = unavailable_reason(version, cache_root)
    if reason:
        return reason
    binary = compose_binary(cache_root)
    if not _compose_version(binary).startswith(COMPOSE_BANNER):
        return f"Docker Compose 2.26 is not set up ({binary}): run python -m netsim.verify setup"
    plugin = engine_layout(version, cache_root).compose_plugin
    if not plugin.exists() or plugin.resolve() != binary.resolve():
        return f"{plugin} does not point at {binary}: run python -m netsim.verify setup"
    return None


def registry_binary(cache_root: Path = CACHE_ROOT) -> Path:
    """Return where the unpacked distribution registry binary lives (it may not exist yet)."""
    return cache_root / "registry" / "usr" / "bin" / "docker-registry"


def registry_unavailable_reason(cache_root: Path = CACHE_ROOT) -> str | None:
    """Return why the distribution registry cannot run here, or ``None`` when it can."""
    binary = registry_binary(cache_root)
    if REGISTRY_BANNER not in _version_of(binary):
        return (
            f"the distribution registry 2.8 is not set up ({binary}): "
            "run python -m netsim.verify setup"
        )
    return None


def _setup_registry(cache_root: Path, progress: Progress) -> None:
    """Unpack Debian 12's ``docker-registry`` (the distribution registry 2.8) once."""
    binary = registry_binary(cache_root)
    if registry_unavailable_reason(cache_root) is None:
        progress("distribution registry already unpacked in " + str(binary.parent))
        return
    root = cache_root / "registry"
    # The machine's own suite carries it: its own apt configuration is enough.
    debs = _apt_download(
        cache_root / "apt" / "registry-debs",
        [f"docker-registry={PACKAGE_VERSION_REGISTRY}"],
        ["-oAPT::Sandbox::User=root"],
        progress,
    )
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for deb in debs:
        _run(["dpkg", "-x", str(deb), str(root)], progress)
    reason = registry_unavailable_reason(cache_root)
    if reason:
        raise VerifyError(reason)


def debian_archive_uri(sources: Path = DEBIAN_SOURCES) -> str:
    """Return the first ``URIs:`` entry of the machine's deb822 Debian sources file."""
    try:
        text = sources.read_text()
    except OSError as error:
        raise VerifyError(f"cannot read {sources}: {error}") from error
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "URIs" and value.split():
            uri = value.split()[0]
            if "security" not in uri:
                return uri
    raise VerifyError(f"{sources} has no URIs: line for the main Debian archive")


def _run(argv: list[str], progress: Progress, *, env: dict[str, str] | None = None) -> None:
    """Run a setup command, raising VerifyError with its output when it fails."""
    progress("$ " + " ".join(argv))
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
        raise VerifyError(f"{argv[0]} failed (exit {done.returncode}):\n" + "\n".join(tail))


def _link(link: Path, target: Path) -> None:
    """Make ``link`` a symlink to ``target``, replacing what was there."""
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def _setup_2010(engine: Engine, cache_root: Path, progress: Progress) -> None:
    """Install Docker 20.10 and the tools from the machine's own suite, if needed."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    tools_missing = any(shutil.which(t, path=SYSTEM_PATH) is None for t in REQUIRED_TOOLS)
    if tools_missing or _engine_problem(engine, check_link=False):
        install = ["apt-get", "install", "-y", "--no-install-recommends", *APT_PACKAGES]
        try:
            _run(install, progress, env=env)
        except VerifyError:
            _run(["apt-get", "update"], progress, env=env)
            _run(install, progress, env=env)
    else:
        progress("Docker 20.10 and tools already installed")
    _link(engine.bin_dir / "docker", engine.cli)


def _download_debs(cache_root: Path, wanted: list[str], progress: Progress) -> list[Path]:
    """Download packages ``NAME=VERSION`` from Debian's newer suites; return the .deb files.

    apt reads a sources list of its own, derived from the machine's Debian
    sources file, so the machine's own apt configuration is never changed.
    """
    apt_dir = cache_root / "apt"
    lists = apt_dir / "lists"
    debs = apt_dir / "debs"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    uri = debian_archive_uri()
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    source_list = apt_dir / "sources.list"
    source_list.write_text(
        "".join(f"deb [signed-by={keyring}] {uri} {suite} main\n" for suite in NEW_SUITES)
    )
    options = [
        f"-oDir::Etc::SourceList={source_list}",
        "-oDir::Etc::SourceParts=/dev/null",
        f"-oDir::State::Lists={lists}",
        "-oAPT::Sandbox::User=root",
    ]
    _run(["apt-get", *options, "update"], progress)
    return _apt_download(debs, wanted, options, progress)


def _apt_download(
    debs: Path, wanted: list[str], options: list[str], progress: Progress
) -> list[Path]:
    """Download the packages WANTED (``name=version``) into DEBS, emptied first; return them."""
    debs.mkdir(parents=True, exist_ok=True)
    for stale in debs.glob("*.deb"):
        stale.unlink()
    progress("$ apt-get download " + " ".join(wanted))
    done = subprocess.run(
        ["apt-get", *options, "download", *wanted],
        cwd=debs,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise VerifyError("apt-get download failed:\n" + (done.stdout + done.stderr)[-2000:])
    return sorted(debs.glob("*.deb"))


def _setup_compose(engine: Engine, cache_root: Path, progress: Progress) -> None:
    """Unpack Docker Compose v2 once and link it as a CLI plugin of ``engine``'s CLI."""
    binary = compose_binary(cache_root)
    if _compose_version(binary).startswith(COMPOSE_BANNER):
        progress("Docker Compose already unpacked in " + str(binary.parent))
    else:
        root = cache_root / "compose"
        debs = _download_debs(cache_root, [f"docker-compose={PACKAGE_VERSION_COMPOSE}"], progress)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        for deb in debs:
            _run(["dpkg", "-x", str(deb), str(root)], progress)
        if not _compose_version(binary).startswith(COMPOSE_BANNER):
            raise VerifyError(f"Docker Compose unpacked but {binary} is not 2.26")
    _link(engine.compose_plugin, binary)


def _setup_285(engine: Engine, cache_root: Path, progress: Progress) -> None:
    """Download Docker 28.5.2 and its CLI from Debian's newer suites and unpack them."""
    root = cache_root / "28.5"
    if _engine_problem(engine, check_link=False) is None:
        progress("Docker 28.5 already unpacked in " + str(root))
        _link(engine.bin_dir / "docker", engine.cli)
        return
    debs = _download_debs(
        cache_root,
        [f"docker.io={PACKAGE_VERSION_285}", f"docker-cli={PACKAGE_VERSION_285}"],
        progress,
    )
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for deb in debs:
        _run(["dpkg", "-x", str(deb), str(root)], progress)
    _link(engine.bin_dir / "docker", engine.cli)
    problem = _engine_problem(engine)
    if problem:
        raise VerifyError(f"Docker 28.5 unpacked but not usable: {problem}")


def setup_engines(
    versions: tuple[str, ...] | None = None,
    *,
    cache_root: Path = CACHE_ROOT,
    progress: Progress = print,
) -> dict[str, Engine]:
    """Install or unpack the engines; quick and safe to re-run when already done.

    Raises:
        VerifyError: not root, not Linux, or a download/installation failed.
    """
    if not sys.platform.startswith("linux"):
        raise VerifyError(f"real engines need Linux (this is {sys.platform})")
    if os.geteuid() != 0:
        raise VerifyError("real engines need root: run python -m netsim.verify setup as root")
    engines: dict[str, Engine] = {}
    for version in versions or tuple(REAL_ENGINES):
        engine = engine_layout(version, cache_root)
        progress(f"== Docker {version}")
        REAL_ENGINES[version].setup(engine, cache_root, progress)
        _setup_compose(engine, cache_root, progress)
        _setup_registry(cache_root, progress)
        reason = unavailable_reason(version, cache_root)
        if reason:
            raise VerifyError(reason)
        progress(f"Docker {version}: {_version_of(engine.dockerd)} (CLI {engine.cli})")
        engines[version] = engine
    return engines


def find_engine(version: str, cache_root: Path = CACHE_ROOT) -> Engine:
    """Return engine ``version`` ready to run.

    Raises:
        VerifyError: it is not available here; the message says why.
    """
    reason = unavailable_reason(version, cache_root)
    if reason:
        raise VerifyError(reason)
    return engine_layout(version, cache_root)


@dataclass(frozen=True, slots=True)
class RealEngine:
    """How to lay out, recognise and install one real engine version."""

    layout: Callable[[Path], Engine]
    banner: str
    setup: Callable[[Engine, Path, Progress], None]


REAL_ENGINES: Mapping[str, RealEngine] = MappingProxyType(
    {
        "20.10": RealEngine(_layout_2010, "Docker version 20.10.", _setup_2010),
        "28.5": RealEngine(_layout_285, "Docker version 28.5.", _setup_285),
    }
)
"""The real engines the harness installs, by the name of their netsim profile."""
