"""The one error tree of netsim.

NetsimError                  base of everything netsim raises on purpose
├── ScenarioError            a scenario file is invalid (file, line, key path, what was expected)
├── DockerError              the daemon refuses a request; ``str()`` is Docker's own message text
│                            (e.g. "Bind for 0.0.0.0:12345 failed: port is already allocated")
├── KernelError              the kernel model refuses an operation; carries the errno name
│   └── IptablesError        an iptables command line is invalid or names a missing chain
├── PacketSyntaxError        a packet in scapy's notation uses what netsim does not read
├── CommandError             a shell command line is malformed (exit code and stderr to print)
└── VerifyError              a replay on a real Docker engine could not be set up or run

Network outcomes (drops, no route, refused, timeouts) are data in traces, never
exceptions. Only ``netsim.cli`` turns these into exit codes.
"""

from __future__ import annotations


class NetsimError(Exception):
    """Base of every error netsim raises on purpose."""


class ScenarioError(NetsimError):
    """A scenario file is invalid; names the file, line and key path."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, key: str = ""
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        super().__init__(self.render())

    def render(self) -> str:
        """Return ``FILE:LINE: KEY: MESSAGE`` with the parts that are known."""
        where = self.file or "<scenario>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        key = f"{self.key}: " if self.key else ""
        return f"{where}: {key}{self.message}"


class DockerError(NetsimError):
    """The simulated daemon refuses a request; the message is Docker's text."""

    def __init__(self, message: str, *, status: int = 500, exit_code: int = 125) -> None:
        self.message = message
        self.status = status
        # What `docker run` exits with: 125 for the daemon's refusals, 127
        # when the container's program does not exist (as the real CLI).
        self.exit_code = exit_code
        super().__init__(message)


class KernelError(NetsimError):
    """The kernel model refuses an operation, as Linux would with an errno."""

    def __init__(self, message: str, *, errno_name: str = "EINVAL") -> None:
        self.errno_name = errno_name
        super().__init__(message)


class IptablesError(KernelError):
    """An iptables command is invalid; ``exit_code`` is what iptables exits with."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        self.exit_code = exit_code
        super().__init__(message, errno_name="EINVAL")


class PacketSyntaxError(NetsimError):
    """A ``packet:`` text is not the supported subset of scapy's notation."""


class CommandError(NetsimError):
    """A shell command cannot run; carries the exit code and stderr text to print."""

    def __init__(self, stderr: str, *, exit_code: int = 1) -> None:
        self.stderr = stderr
        self.exit_code = exit_code
        super().__init__(stderr)


class VerifyError(NetsimError):
    """A replay on a real Docker engine could not be set up or run."""
