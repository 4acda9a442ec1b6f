# ruff: noqa: E501  (the help text is kept as the CLI prints it)
"""What the docker CLI knows: management commands, their subcommands, their help.

Taken from the real CLIs (20.10.24 and 28.5.2): ``docker --help`` and
``docker MANAGEMENT --help`` list the commands (the union of both versions is
kept: netsim answers a command either CLI has with "not simulated", never
with "unknown command"), and CLI 20.10 answers ``docker MANAGEMENT NOSUCH``
with the management command's help on standard error (status 1); ``docker
MANAGEMENT`` alone prints help on standard error with status 0 (20.10 the
same text, 28.5 its own). The texts are kept as printed. Regenerate by
running those commands (no daemon is needed); do not edit by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Each management command's subcommands, as the help of 20.10 or 28.5 lists them.
REAL_SUBCOMMANDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "builder": frozenset("build prune".split()),
        "checkpoint": frozenset("create ls rm".split()),
        "config": frozenset("create inspect ls rm".split()),
        "container": frozenset(
            "attach commit cp create diff exec export inspect kill logs ls pause port prune rename restart rm run start stats stop top unpause update wait".split()
        ),
        "context": frozenset("create export import inspect ls rm show update use".split()),
        "image": frozenset(
            "build history import inspect load ls prune pull push rm save tag".split()
        ),
        "manifest": frozenset("annotate create inspect push rm".split()),
        "network": frozenset("connect create disconnect inspect ls prune rm".split()),
        "node": frozenset("demote inspect ls promote ps rm update".split()),
        "plugin": frozenset("create disable enable inspect install ls push rm set upgrade".split()),
        "secret": frozenset("create inspect ls rm".split()),
        "service": frozenset("create inspect logs ls ps rm rollback scale update".split()),
        "stack": frozenset("config deploy ls ps rm services".split()),
        "swarm": frozenset("ca init join join-token leave unlock unlock-key update".split()),
        "system": frozenset("df events info prune".split()),
        "trust": frozenset("inspect key revoke sign signer".split()),
        "volume": frozenset("create inspect ls prune rm update".split()),
    }
)

# CLI 20.10's answer to `docker MANAGEMENT NOSUCH` (standard error, status 1).
CLASSIC_MANAGEMENT_HELP: Mapping[str, str] = MappingProxyType(
    {
        "builder": (
            "\n"
            "Usage:  docker builder COMMAND\n"
            "\n"
            "Manage builds\n"
            "\n"
            "Commands:\n"
            "  build       Build an image from a Dockerfile\n"
            "  prune       Remove build cache\n"
            "\n"
            "Run 'docker builder COMMAND --help' for more information on a command.\n"
        ),
        "config": (
            "\n"
            "Usage:  docker config COMMAND\n"
            "\n"
            "Manage Docker configs\n"
            "\n"
            "Commands:\n"
            "  create      Create a config from a file or STDIN\n"
            "  inspect     Display detailed information on one or more configs\n"
            "  ls          List configs\n"
            "  rm          Remove one or more configs\n"
            "\n"
            "Run 'docker config COMMAND --help' for more information on a command.\n"
        ),
        "container": (
            "\n"
            "Usage:  docker container COMMAND\n"
            "\n"
            "Manage containers\n"
            "\n"
            "Commands:\n"
            "  attach      Attach local standard input, output, and error streams to a running container\n"
            "  commit      Create a new image from a container's changes\n"
            "  cp          Copy files/folders between a container and the local filesystem\n"
            "  create      Create a new container\n"
            "  diff        Inspect changes to files or directories on a container's filesystem\n"
            "  exec        Run a command in a running container\n"
            "  export      Export a container's filesystem as a tar archive\n"
            "  inspect     Display detailed information on one or more containers\n"
            "  kill        Kill one or more running containers\n"
            "  logs        Fetch the logs of a container\n"
            "  ls          List containers\n"
            "  pause       Pause all processes within one or more containers\n"
            "  port        List port mappings or a specific mapping for the container\n"
            "  prune       Remove all stopped containers\n"
            "  rename      Rename a container\n"
            "  restart     Restart one or more containers\n"
            "  rm          Remove one or more containers\n"
            "  run         Run a command in a new container\n"
            "  start       Start one or more stopped containers\n"
            "  stats       Display a live stream of container(s) resource usage statistics\n"
            "  stop        Stop one or more running containers\n"
            "  top         Display the running processes of a container\n"
            "  unpause     Unpause all processes within one or more containers\n"
            "  update      Update configuration of one or more containers\n"
            "  wait        Block until one or more containers stop, then print their exit codes\n"
            "\n"
            "Run 'docker container COMMAND --help' for more information on a command.\n"
        ),
        "context": (
            "\n"
            "Usage:  docker context COMMAND\n"
            "\n"
            "Manage contexts\n"
            "\n"
            "Commands:\n"
            "  create      Create a context\n"
            "  export      Export a context to a tar or kubeconfig file\n"
            "  import      Import a context from a tar or zip file\n"
            "  inspect     Display detailed information on one or more contexts\n"
            "  ls          List contexts\n"
            "  rm          Remove one or more contexts\n"
            "  update      Update a context\n"
            "  use         Set the current docker context\n"
            "\n"
            "Run 'docker context COMMAND --help' for more information on a command.\n"
        ),
        "image": (
            "\n"
            "Usage:  docker image COMMAND\n"
            "\n"
            "Manage images\n"
            "\n"
            "Commands:\n"
            "  build       Build an image from a Dockerfile\n"
            "  history     Show the history of an image\n"
            "  import      Import the contents from a tarball to create a filesystem image\n"
            "  inspect     Display detailed information on one or more images\n"
            "  load        Load an image from a tar archive or STDIN\n"
            "  ls          List images\n"
            "  prune       Remove unused images\n"
            "  pull        Pull an image or a repository from a registry\n"
            "  push        Push an image or a repository to a registry\n"
            "  rm          Remove one or more images\n"
            "  save        Save one or more images to a tar archive (streamed to STDOUT by default)\n"
            "  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n"
            "\n"
            "Run 'docker image COMMAND --help' for more information on a command.\n"
        ),
        "manifest": (
            "\n"
            "Usage:  docker manifest COMMAND\n"
            "\n"
            "The **docker manifest** command has subcommands for managing image manifests and\n"
            "manifest lists. A manifest list allows you to use one name to refer to the same image\n"
            "built for multiple architectures.\n"
            "\n"
            "To see help for a subcommand, use:\n"
            "\n"
            "    docker manifest CMD --help\n"
            "\n"
            "For full details on using docker manifest lists, see the registry v2 specification.\n"
            "\n"
            "EXPERIMENTAL:\n"
            "  docker manifest is an experimental feature.\n"
            "  Experimental features provide early access to product functionality. These\n"
            "  features may change between releases without warning, or can be removed from a\n"
            "  future release. Learn more about experimental features in our documentation:\n"
            "  https://docs.docker.com/go/experimental/\n"
            "\n"
            "Commands:\n"
            "  annotate    Add additional information to a local image manifest\n"
            "  create      Create a local manifest list for annotating and pushing to a registry\n"
            "  inspect     Display an image manifest, or manifest list\n"
            "  push        Push a manifest list to a repository\n"
            "  rm          Delete one or more manifest lists from local storage\n"
            "\n"
            "Run 'docker manifest COMMAND --help' for more information on a command.\n"
        ),
        "network": (
            "\n"
            "Usage:  docker network COMMAND\n"
            "\n"
            "Manage networks\n"
            "\n"
            "Commands:\n"
            "  connect     Connect a container to a network\n"
            "  create      Create a network\n"
            "  disconnect  Disconnect a container from a network\n"
            "  inspect     Display detailed information on one or more networks\n"
            "  ls          List networks\n"
            "  prune       Remove all unused networks\n"
            "  rm          Remove one or more networks\n"
            "\n"
            "Run 'docker network COMMAND --help' for more information on a command.\n"
        ),
        "node": (
            "\n"
            "Usage:  docker node COMMAND\n"
            "\n"
            "Manage Swarm nodes\n"
            "\n"
            "Commands:\n"
            "  demote      Demote one or more nodes from manager in the swarm\n"
            "  inspect     Display detailed information on one or more nodes\n"
            "  ls          List nodes in the swarm\n"
            "  promote     Promote one or more nodes to manager in the swarm\n"
            "  ps          List tasks running on one or more nodes, defaults to current node\n"
            "  rm          Remove one or more nodes from the swarm\n"
            "  update      Update a node\n"
            "\n"
            "Run 'docker node COMMAND --help' for more information on a command.\n"
        ),
        "plugin": (
            "\n"
            "Usage:  docker plugin COMMAND\n"
            "\n"
            "Manage plugins\n"
            "\n"
            "Commands:\n"
            "  create      Create a plugin from a rootfs and configuration. Plugin data directory must contain config.json and rootfs directory.\n"
            "  disable     Disable a plugin\n"
            "  enable      Enable a plugin\n"
            "  inspect     Display detailed information on one or more plugins\n"
            "  install     Install a plugin\n"
            "  ls          List plugins\n"
            "  push        Push a plugin to a registry\n"
            "  rm          Remove one or more plugins\n"
            "  set         Change settings for a plugin\n"
            "  upgrade     Upgrade an existing plugin\n"
            "\n"
            "Run 'docker plugin COMMAND --help' for more information on a command.\n"
        ),
        "secret": (
            "\n"
            "Usage:  docker secret COMMAND\n"
            "\n"
            "Manage Docker secrets\n"
            "\n"
            "Commands:\n"
            "  create      Create a secret from a file or STDIN as content\n"
            "  inspect     Display detailed information on one or more secrets\n"
            "  ls          List secrets\n"
            "  rm          Remove one or more secrets\n"
            "\n"
            "Run 'docker secret COMMAND --help' for more information on a command.\n"
        ),
        "service": (
            "\n"
            "Usage:  docker service COMMAND\n"
            "\n"
            "Manage services\n"
            "\n"
            "Commands:\n"
            "  create      Create a new service\n"
            "  inspect     Display detailed information on one or more services\n"
            "  logs        Fetch the logs of a service or task\n"
            "  ls          List services\n"
            "  ps          List the tasks of one or more services\n"
            "  rm          Remove one or more services\n"
            "  rollback    Revert changes to a service's configuration\n"
            "  scale       Scale one or multiple replicated services\n"
            "  update      Update a service\n"
            "\n"
            "Run 'docker service COMMAND --help' for more information on a command.\n"
        ),
        "stack": (
            "\n"
            "Usage:  docker stack [OPTIONS] COMMAND\n"
            "\n"
            "Manage Docker stacks\n"
            "\n"
            "Options:\n"
            "      --kubeconfig string     Kubernetes config file\n"
            "      --orchestrator string   Orchestrator to use (swarm|kubernetes|all)\n"
            "\n"
            "Commands:\n"
            "  deploy      Deploy a new stack or update an existing stack\n"
            "  ls          List stacks\n"
            "  ps          List the tasks in the stack\n"
            "  rm          Remove one or more stacks\n"
            "  services    List the services in the stack\n"
            "\n"
            "Run 'docker stack COMMAND --help' for more information on a command.\n"
        ),
        "swarm": (
            "\n"
            "Usage:  docker swarm COMMAND\n"
            "\n"
            "Manage Swarm\n"
            "\n"
            "Commands:\n"
            "  ca          Display and rotate the root CA\n"
            "  init        Initialize a swarm\n"
            "  join        Join a swarm as a node and/or manager\n"
            "  join-token  Manage join tokens\n"
            "  leave       Leave the swarm\n"
            "  unlock      Unlock swarm\n"
            "  unlock-key  Manage the unlock key\n"
            "  update      Update the swarm\n"
            "\n"
            "Run 'docker swarm COMMAND --help' for more information on a command.\n"
        ),
        "system": (
            "\n"
            "Usage:  docker system COMMAND\n"
            "\n"
            "Manage Docker\n"
            "\n"
            "Commands:\n"
            "  df          Show docker disk usage\n"
            "  events      Get real time events from the server\n"
            "  info        Display system-wide information\n"
            "  prune       Remove unused data\n"
            "\n"
            "Run 'docker system COMMAND --help' for more information on a command.\n"
        ),
        "trust": (
            "\n"
            "Usage:  docker trust COMMAND\n"
            "\n"
            "Manage trust on Docker images\n"
            "\n"
            "Management Commands:\n"
            "  key         Manage keys for signing Docker images\n"
            "  signer      Manage entities who can sign Docker images\n"
            "\n"
            "Commands:\n"
            "  inspect     Return low-level information about keys and signatures\n"
            "  revoke      Remove trust for an image\n"
            "  sign        Sign an image\n"
            "\n"
            "Run 'docker trust COMMAND --help' for more information on a command.\n"
        ),
        "volume": (
            "\n"
            "Usage:  docker volume COMMAND\n"
            "\n"
            "Manage volumes\n"
            "\n"
            "Commands:\n"
            "  create      Create a volume\n"
            "  inspect     Display detailed information on one or more volumes\n"
            "  ls          List volumes\n"
            "  prune       Remove all unused local volumes\n"
            "  rm          Remove one or more volumes\n"
            "\n"
            "Run 'docker volume COMMAND --help' for more information on a command.\n"
        ),
    }
)


# CLI 28.5's answer to `docker MANAGEMENT` alone (standard error, status 0). With
# a daemon, 28.5 hides what it cannot do there: the swarm-only commands (replayed:
# `docker swarm` lists only init and join, `docker volume` no update), so those
# are left out (service, stack, node, secret, config, checkpoint: "not
# simulated"), volume's update line is dropped and swarm's text is the replayed
# one; `builder` is left out too, as
# its text depends on whether the buildx plugin is installed.
# The commands whose 28.5 text is 20.10's (without 20.10's leading empty line).
_MODERN_AS_CLASSIC = ("network", "plugin", "system", "trust")
MODERN_MANAGEMENT_HELP: Mapping[str, str] = MappingProxyType(
    {
        **{name: CLASSIC_MANAGEMENT_HELP[name].removeprefix("\n") for name in _MODERN_AS_CLASSIC},
        # 28.5 keeps the empty line before manifest's usage.
        "manifest": CLASSIC_MANAGEMENT_HELP["manifest"],
        "container": (
            "Usage:  docker container COMMAND\n"
            "\n"
            "Manage containers\n"
            "\n"
            "Commands:\n"
            "  attach      Attach local standard input, output, and error streams to a running container\n"
            "  commit      Create a new image from a container's changes\n"
            "  cp          Copy files/folders between a container and the local filesystem\n"
            "  create      Create a new container\n"
            "  diff        Inspect changes to files or directories on a container's filesystem\n"
            "  exec        Execute a command in a running container\n"
            "  export      Export a container's filesystem as a tar archive\n"
            "  inspect     Display detailed information on one or more containers\n"
            "  kill        Kill one or more running containers\n"
            "  logs        Fetch the logs of a container\n"
            "  ls          List containers\n"
            "  pause       Pause all processes within one or more containers\n"
            "  port        List port mappings or a specific mapping for the container\n"
            "  prune       Remove all stopped containers\n"
            "  rename      Rename a container\n"
            "  restart     Restart one or more containers\n"
            "  rm          Remove one or more containers\n"
            "  run         Create and run a new container from an image\n"
            "  start       Start one or more stopped containers\n"
            "  stats       Display a live stream of container(s) resource usage statistics\n"
            "  stop        Stop one or more running containers\n"
            "  top         Display the running processes of a container\n"
            "  unpause     Unpause all processes within one or more containers\n"
            "  update      Update configuration of one or more containers\n"
            "  wait        Block until one or more containers stop, then print their exit codes\n"
            "\n"
            "Run 'docker container COMMAND --help' for more information on a command.\n"
        ),
        "context": (
            "Usage:  docker context COMMAND\n"
            "\n"
            "Manage contexts\n"
            "\n"
            "Commands:\n"
            "  create      Create a context\n"
            "  export      Export a context to a tar archive FILE or a tar stream on STDOUT.\n"
            "  import      Import a context from a tar or zip file\n"
            "  inspect     Display detailed information on one or more contexts\n"
            "  ls          List contexts\n"
            "  rm          Remove one or more contexts\n"
            "  show        Print the name of the current context\n"
            "  update      Update a context\n"
            "  use         Set the current docker context\n"
            "\n"
            "Run 'docker context COMMAND --help' for more information on a command.\n"
        ),
        "image": (
            "Usage:  docker image COMMAND\n"
            "\n"
            "Manage images\n"
            "\n"
            "Commands:\n"
            "  build       Build an image from a Dockerfile\n"
            "  history     Show the history of an image\n"
            "  import      Import the contents from a tarball to create a filesystem image\n"
            "  inspect     Display detailed information on one or more images\n"
            "  load        Load an image from a tar archive or STDIN\n"
            "  ls          List images\n"
            "  prune       Remove unused images\n"
            "  pull        Download an image from a registry\n"
            "  push        Upload an image to a registry\n"
            "  rm          Remove one or more images\n"
            "  save        Save one or more images to a tar archive (streamed to STDOUT by default)\n"
            "  tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n"
            "\n"
            "Run 'docker image COMMAND --help' for more information on a command.\n"
        ),
        "swarm": (
            "Usage:  docker swarm COMMAND\n"
            "\n"
            "Manage Swarm\n"
            "\n"
            "Commands:\n"
            "  init        Initialize a swarm\n"
            "  join        Join a swarm as a node and/or manager\n"
            "\n"
            "Run 'docker swarm COMMAND --help' for more information on a command.\n"
        ),
        "volume": (
            "Usage:  docker volume COMMAND\n"
            "\n"
            "Manage volumes\n"
            "\n"
            "Commands:\n"
            "  create      Create a volume\n"
            "  inspect     Display detailed information on one or more volumes\n"
            "  ls          List volumes\n"
            "  prune       Remove unused local volumes\n"
            "  rm          Remove one or more volumes\n"
            "\n"
            "Run 'docker volume COMMAND --help' for more information on a command.\n"
        ),
    }
)
