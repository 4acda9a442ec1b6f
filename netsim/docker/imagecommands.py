"""The docker CLI's image commands: images, tag, rmi, history, image inspect, commit.

Formats and messages are what CLI 20.10.24 and 28.5.2 print against their
daemons, checked with ``python -m netsim.verify run`` on both engines; where
the two differ the engine profile decides.
"""

from __future__ import annotations

import datetime
import fnmatch
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from netsim.docker.commandline import ArgumentCount, DockerCommand
from netsim.docker.daemon import EPOCH, Daemon
from netsim.docker.engines.base import daemon_error
from netsim.docker.images import image_repository
from netsim.docker.imagestore import Image, ImageConfig, check_reference, normalise_reference
from netsim.docker.registry import RegistryContents
from netsim.errors import DockerError
from netsim.scenario.words import split_words

if TYPE_CHECKING:
    from netsim.docker.client import CommandOutput


def _output(code: int, stdout: str = "", stderr: str = "") -> CommandOutput:
    from netsim.docker.client import CommandOutput

    return CommandOutput(code, stdout, stderr)


def human_size(size_bytes: float) -> str:
    """Return go-units' HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits."""
    units = ("B", "kB", "MB", "GB", "TB", "PB")
    size = float(size_bytes)
    unit = 0
    while size >= 1000 and unit < len(units) - 1:
        size /= 1000
        unit += 1
    return f"{size:.3g}{units[unit]}"


def _created_at(seconds: float, *, layout: str) -> str:
    moment = datetime.datetime.fromtimestamp(EPOCH + seconds, tz=datetime.UTC)
    return moment.strftime(layout)


def _split_tag(name: str) -> tuple[str, str]:
    if name == "<none>:<none>":
        return "<none>", "<none>"
    repository = image_repository(name)
    return repository, name[len(repository) + 1 :]


# What `docker save` and `docker export` write in netsim: a text that names
# what the real tar would hold (netsim has no file system to archive).
IMAGE_ARCHIVE = "netsim image archive: "
CONTAINER_ARCHIVE = "netsim container archive: "


class ImageCommands:
    """The image commands of the docker CLI, mixed into ``DockerClient``."""

    __slots__ = ()
    daemon: Daemon
    host_files: dict[str, str]
    stdin: str

    def _image_error(self, reference: str) -> str:
        return self.daemon.profile.image_lookup_error(reference, normalise_reference(reference))

    def _find_for_daemon(self, reference: str) -> Image:
        """Look an image up as the daemon does for tag, history and commit's source."""
        image = self.daemon.image_store.find(reference)
        if image is None:
            raise DockerError(f"No such image: {normalise_reference(reference)}", status=404)
        return image

    # -- docker images ---------------------------------------------------------
    def _cmd_images(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.formatting import human_duration, tabwrite

        if len(command.args) > 1:
            return self._arguments_error(command, ArgumentCount(0, 1))
        store = self.daemon.image_store
        patterns = list(command.args)
        for item in command.values("filter"):
            key, _, value = item.partition("=")
            if key != "reference":
                from netsim.docker.client import not_simulated

                return not_simulated(f"docker images --filter {key}")
            patterns.append(value)
        rows: list[tuple[Image, str]] = []
        for image in store.listing():
            if not image.tags and not patterns:
                # An untagged image lists as <none>:<none> (both engines); one that
                # other images build on (a build's intermediate step) only with -a.
                if command.flag("all") or not store.children(image):
                    rows.append((image, "<none>:<none>"))
            for tag in image.tags:
                if all(_reference_matches(tag, pattern) for pattern in patterns):
                    rows.append((image, tag))
        no_trunc = command.flag("no-trunc")
        now = self.daemon.clock

        def image_id(image: Image) -> str:
            full = "sha256:" + store.image_id(image)
            return full if no_trunc else full[7:19]

        if command.flag("quiet"):
            seen: list[str] = []
            for image, _ in rows:
                if image_id(image) not in seen:
                    seen.append(image_id(image))
            return _output(0, "".join(i + "\n" for i in seen))
        template = command.value("format")
        if template and not template.startswith("table"):
            from netsim.gotemplate import render_template

            lines = []
            for image, tag in rows:
                repository, tag_name = _split_tag(tag)
                users = len(store.users(image))
                fields = {
                    "Containers": (
                        str(users) if self.daemon.profile.image_list_counts_containers else "N/A"
                    ),
                    "CreatedAt": _created_at(image.created, layout="%Y-%m-%d %H:%M:%S +0000 UTC"),
                    "CreatedSince": human_duration(now - image.created) + " ago",
                    "Digest": image.digest_of(repository) or "<none>",
                    "ID": image_id(image),
                    "Repository": repository,
                    "SharedSize": "N/A",
                    "Size": human_size(image.size_bytes),
                    "Tag": tag_name,
                    "UniqueSize": "N/A",
                    "VirtualSize": _virtual_size(image.size_bytes),
                }
                lines.append(render_template(template, fields) + "\n")
            return _output(0, "".join(lines))
        digests = command.flag("digests")
        header = ["REPOSITORY", "TAG"] + (["DIGEST"] if digests else [])
        table = [[*header, "IMAGE ID", "CREATED", "SIZE"]]
        for image, tag in rows:
            repository, tag_name = _split_tag(tag)
            table.append(
                [repository, tag_name]
                + ([image.digest_of(repository) or "<none>"] if digests else [])
                + [
                    image_id(image),
                    human_duration(now - image.created) + " ago",
                    human_size(image.size_bytes),
                ]
            )
        return _output(0, tabwrite(table))

    def _arguments_error(self, command: DockerCommand, count: ArgumentCount) -> CommandOutput:
        """Return the CLI's answer to a wrong number of arguments (exit 1)."""
        error = self.daemon.profile.missing_args_error(
            command.typed_name, count, command.usage, command.summary
        )
        return _output(1, "", error)

    # -- docker tag ---------------------------------------------------------------
    def _cmd_tag(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) != 2:
            return self._arguments_error(command, ArgumentCount(2, 2))
        source, target = command.args
        try:
            check_reference(target, names_repository=self.daemon.profile.names_bad_repository)
        except DockerError as error:
            return _output(
                1,
                "",
                f'Error parsing reference: "{target}" is not a valid repository/tag: '
                f"{error.message}\n",
            )
        try:
            image = self._find_for_daemon(source)
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        self.daemon.image_store.tag(image, target)
        return _output(0)

    # -- docker rmi ---------------------------------------------------------------
    def _cmd_rmi(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._arguments_error(command, ArgumentCount(1, None))
        force = command.flag("force")
        out: list[str] = []
        errors: list[str] = []
        for reference in command.args:
            try:
                image = self.daemon.image_store.find(reference)
            except DockerError as error:
                errors.append(daemon_error(error.message))
                continue
            if image is None:
                errors.append(self._image_error(reference))
                continue
            try:
                out += self._remove_image(image, reference, force=force)
            except DockerError as error:
                errors.append(daemon_error(error.message))
        # `rmi -f` exits 0 even when an image was not there (both engines).
        code = 1 if errors and not force else 0
        return _output(code, "".join(o + "\n" for o in out), "".join(e + "\n" for e in errors))

    def _remove_image(self, image: Image, reference: str, *, force: bool) -> list[str]:
        store = self.daemon.image_store
        name = normalise_reference(reference)
        by_tag = name in image.tags
        users = store.users(image)
        image_id = store.image_id(image)
        if by_tag and (len(image.tags) > 1 or force or not users):
            lines = [f"Untagged: {gone}" for gone in store.untag(image, name)]
            if image.tags or (users and not force):
                return lines
        elif by_tag:
            raise DockerError(
                f'conflict: unable to remove repository reference "{reference}" (must force) - '
                f"container {users[0][:12]} is using its referenced image {image_id[:12]}",
                status=409,
            )
        else:
            if len(image.tags) > 1 and not force:
                raise DockerError(
                    f"conflict: unable to delete {image_id[:12]} (must be forced) - image is "
                    "referenced in multiple repositories",
                    status=409,
                )
            if users and not force:
                raise DockerError(
                    f"conflict: unable to delete {image_id[:12]} (must be forced) - image is "
                    f"being used by stopped container {users[0][:12]}",
                    status=409,
                )
            lines = []
            for tag in list(image.tags):
                lines += [f"Untagged: {gone}" for gone in store.untag(image, tag)]
        if store.children(image):
            return lines
        store.remove(image)
        lines.append(f"Deleted: sha256:{image_id}")
        if not store.images:
            # Every stand-in shares one root layer; the last image takes it along.
            lines.append(f"Deleted: sha256:{store.new_id('layer:standin')}")
        return lines

    # -- docker history -----------------------------------------------------------
    def _cmd_history(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.formatting import human_duration, tabwrite

        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        try:
            image = self._find_for_daemon(command.args[0])
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        store = self.daemon.image_store
        no_trunc = command.flag("no-trunc")
        now = self.daemon.clock
        chain = image.history()

        def image_id(entry: Image) -> str:
            full = "sha256:" + store.image_id(entry)
            return full if no_trunc else full[7:19]

        if command.flag("quiet"):
            return _output(0, "".join(image_id(entry) + "\n" for entry in chain))
        template = command.value("format")
        if template and not template.startswith("table"):
            from netsim.gotemplate import render_template

            lines = []
            for entry in chain:
                fields = {
                    "Comment": entry.comment,
                    "CreatedAt": _created_at(entry.created, layout="%Y-%m-%dT%H:%M:%SZ"),
                    "CreatedBy": entry.created_by,
                    "CreatedSince": human_duration(now - entry.created) + " ago",
                    "ID": image_id(entry),
                    "Size": human_size(entry.layer_size_bytes),
                }
                lines.append(render_template(template, fields) + "\n")
            return _output(0, "".join(lines))
        table = [["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]]
        for entry in chain:
            created_by = entry.created_by
            if not no_trunc and len(created_by) > 45:
                created_by = created_by[:44] + "…"
            table.append(
                [
                    image_id(entry),
                    human_duration(now - entry.created) + " ago",
                    created_by,
                    human_size(entry.layer_size_bytes),
                    entry.comment,
                ]
            )
        return _output(0, tabwrite(table))

    # -- docker image inspect -----------------------------------------------------
    def _cmd_image_inspect(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._arguments_error(command, ArgumentCount(1, None))
        objects: list[Any] = []
        errors: list[str] = []
        for reference in command.args:
            try:
                image = self.daemon.image_store.find(reference)
            except DockerError as error:
                errors.append(daemon_error(error.message))
                continue
            if image is None:
                errors.append(self._image_error(reference))
                continue
            objects.append(self.image_inspect(image))
        return self._print_objects(objects, errors, command.value("format"))

    def _print_objects(
        self, objects: list[Any], errors: list[str], template: str | None
    ) -> CommandOutput:
        raise NotImplementedError

    def image_inspect(self, image: Image) -> Any:
        """Return the value ``docker image inspect`` prints for IMAGE in this engine's layout."""
        from netsim.docker.imageinspect import image_inspect

        return image_inspect(self.daemon, image)

    # -- save / load / export / import ----------------------------------------------
    def _write_or_print(self, command: DockerCommand, text: str) -> CommandOutput:
        path = command.value("output")
        if path:
            if path != "/dev/null":
                self.host_files[path] = text
            return _output(0)
        return _output(0, text)

    def _cmd_save(self, command: DockerCommand) -> CommandOutput:
        if not command.args:
            return self._arguments_error(command, ArgumentCount(1, None))
        store = self.daemon.image_store
        lines: list[str] = []
        for reference in command.args:
            image = store.find(reference)
            if image is None:
                # The daemon names the reference as typed here (both engines).
                return _output(1, "", daemon_error(f"No such image: {reference}") + "\n")
            store.archived[image.key] = replace(image, tags=list(image.tags))
            named = (
                normalise_reference(reference)
                if reference in image.tags or (normalise_reference(reference) in image.tags)
                else ""
            )
            lines.append(f"{IMAGE_ARCHIVE}{image.key}\t{named}\n")
        return self._write_or_print(command, "".join(lines))

    def _cmd_load(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.client import not_simulated

        if command.args:
            return _output(
                1,
                "",
                self.daemon.profile.missing_args_error(
                    command.typed_name, ArgumentCount(0, 0), command.usage, command.summary
                ),
            )
        path = command.value("input")
        if path:
            text = self.host_files.get(path)
            if text is None:
                return _output(1, "", f"open {path}: no such file or directory\n")
        else:
            text = self.stdin
        store = self.daemon.image_store
        out: list[str] = []
        for line in text.splitlines():
            if not line.startswith(IMAGE_ARCHIVE):
                return not_simulated("docker load")
            key, _, tag = line[len(IMAGE_ARCHIVE) :].partition("\t")
            saved = store.archived.get(key)
            if saved is None:
                return not_simulated("docker load")
            image = next((i for i in store.images if i.key == key), None)
            if image is None:
                image = store.add(replace(saved, tags=[]))
            if tag:
                store.tag(image, tag)
                out.append(f"Loaded image: {tag}")
            else:
                out.append(f"Loaded image ID: sha256:{store.image_id(image)}")
        if not out:
            return not_simulated("docker load")
        return _output(0, "".join(o + "\n" for o in out))

    def _cmd_export(self, command: DockerCommand) -> CommandOutput:
        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        try:
            container = self.daemon.find_container(command.args[0])
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        return self._write_or_print(command, f"{CONTAINER_ARCHIVE}{container.id}\n")

    def _cmd_import(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.client import not_simulated

        if not command.args:
            # Both CLIs check only for one (cobra's RequiresMinArgs); a third is ignored.
            return self._arguments_error(command, ArgumentCount(1, None))
        source = command.args[0]
        text = self.stdin if source == "-" else self.host_files.get(source)
        if text is None or not text.startswith(CONTAINER_ARCHIVE) or command.values("change"):
            return not_simulated("docker import")
        reference = command.args[1] if len(command.args) > 1 else None
        if reference is not None:
            try:
                check_reference(
                    reference, names_repository=self.daemon.profile.names_bad_repository
                )
            except DockerError as error:
                return _output(1, "", daemon_error(error.message) + "\n")
        store = self.daemon.image_store
        container_id = text[len(CONTAINER_ARCHIVE) :].strip()
        base = next((c.image for c in self.daemon.containers if c.id == container_id), None)
        if base is None:
            return not_simulated("docker import")
        key = f"import:{len(store.images)}:{container_id}"
        image = store.add(
            Image(
                key=key,
                spec=replace(
                    base, name=key, entrypoint=None, command=(), base=base.base or base.name
                ),
                tags=[normalise_reference(reference)] if reference else [],
                created=self.daemon.clock,
                entrypoint=None,
                cmd=(),
                env=(),
                comment=command.value("message") or "Imported from -",
            )
        )
        return _output(0, f"sha256:{store.image_id(image)}\n")

    def _cmd_logs(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.client import not_simulated

        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        try:
            container = self.daemon.find_container(command.args[0])
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        program = container.command_line[0].rsplit("/", 1)[-1] if container.command_line else ""
        if program in ("sleep", "sh", "ash", "bash") and not container.tty:
            # These print nothing unless given a line to run (checked on both engines).
            if program == "sleep" or "-c" not in container.command_line[1:2]:
                return _output(0)
        return not_simulated("docker logs")

    # -- registries ----------------------------------------------------------------
    def pull_error(self, reference: str, *, bare: bool = False) -> str:
        """Return the daemon's answer to pulling REFERENCE in the scenario's world.

        ``bare``: without the CLI's ``Error response from daemon:`` (a build's FROM).
        """
        from netsim.docker.registry import hub_pull_error, local_refused_error, registry_host

        registry = registry_host(image_repository(reference))
        if registry is not None:
            message = local_refused_error(registry)
        else:
            upstream = self.daemon.upstream
            if upstream is None:
                raise DockerError("the daemon has no upstream to pull from")
            message = hub_pull_error(upstream, self.daemon.lookup_port())
        return message + "\n" if bare else daemon_error(message)

    def _cmd_build(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.build import build
        from netsim.docker.client import DockerClient, not_simulated

        if command.args != ("-",) or command.given("file") or not isinstance(self, DockerClient):
            # A build context on disk is not modelled: only a Dockerfile on stdin.
            return not_simulated("docker build")
        return build(self, self.stdin, command.value("tag"))

    def _reach_registry(
        self, registry: str, *, pushing: bool = False
    ) -> RegistryContents | str | None:
        """Connect to REGISTRY (``HOST:PORT``) over the network as the daemon does.

        Returns what the registry container that answered holds, the daemon's
        error when it cannot be used, or None when what answered is not
        modelled (no network to dial, or a service that is not a registry).
        """
        from netsim.docker.registry import REGISTRY_IMAGE, dial_error, https_error, is_insecure

        dial = getattr(self, "dial", None)
        if dial is None:
            return None
        insecure = self.daemon.spec.insecure_registries or ()
        name, _, port_text = registry.partition(":")
        port = int(port_text) if port_text.isdigit() else 443
        # Go dials localhost at [::1] first; netsim's data plane is IPv4, where
        # docker-proxy (or the DNAT rule) serves the same published port.
        connection = dial("127.0.0.1" if name == "localhost" else name, port)
        if connection.result != "open":
            upstream = self.daemon.upstream
            if upstream is None:
                raise DockerError("the daemon has no upstream to resolve names with")
            source_port = self.daemon.lookup_port() if connection.result == "unresolved" else 0
            return dial_error(
                registry,
                connection,
                upstream,
                source_port,
                insecure,
                pushing=pushing,
                deadline=self.daemon.profile.push_timeout_is_deadline,
            )
        container = next(
            (c for c in self.daemon.containers if c.name == connection.served_by), None
        )
        if container is None or container.image.name != REGISTRY_IMAGE:
            return None
        if not is_insecure(registry, insecure, connection.address):
            return https_error(registry)
        return self.daemon.image_store.registry_of(container.id)

    def _cmd_pull(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.client import not_simulated
        from netsim.docker.registry import registry_host

        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        reference = command.args[0]
        # The CLI says so when it adds the tag itself.
        note = "Using default tag: latest\n" if image_repository(reference) == reference else ""
        registry = registry_host(image_repository(reference))
        if registry is None:
            return _output(1, note, self.pull_error(reference) + "\n")
        reached = self._reach_registry(registry)
        if reached is None:
            return not_simulated("docker pull")
        if isinstance(reached, str):
            return _output(1, note, daemon_error(reached) + "\n")
        pulled = self._pull_from(reached, reference)
        if isinstance(pulled, str):
            return _output(1, note, daemon_error(pulled) + "\n")
        return _output(0, note + "".join(line + "\n" for line in pulled))

    def _pull_from(self, registry: RegistryContents, reference: str) -> list[str] | str:
        """Pull REFERENCE from a registry container's contents into the local store.

        Returns the CLI's progress lines (both engines print the same), or the
        registry's refusal. The stand-in layer is always local already (every
        stand-in image has it), so it is never downloaded.
        """
        store = self.daemon.image_store
        name = normalise_reference(reference)
        repository = image_repository(name)
        path = repository.partition("/")[2]
        tag = name[len(repository) + 1 :]
        image = registry.manifests.get(f"{path}:{tag}")
        if image is None:
            return f"manifest for {name} not found: manifest unknown: manifest unknown"
        lines = [f"{tag}: Pulling from {path}"]
        local = next((i for i in store.images if i.key == image.key), None)
        if local is None:
            lines.append(f"{store.new_id('blob:standin')[:12]}: Already exists")
            local = store.add(replace(image, tags=[], digests=[], parent=None))
        digest = store.manifest_digest(image)
        lines.append(f"Digest: {digest}")
        if name in local.tags:
            lines.append(f"Status: Image is up to date for {name}")
        else:
            store.tag(local, name)
            lines.append(f"Status: Downloaded newer image for {name}")
        if f"{repository}@{digest}" not in local.digests:
            local.digests.append(f"{repository}@{digest}")
        return [*lines, name]

    def pull_for_run(self, reference: str) -> str | None:
        """Pull a missing image from a registry container before ``docker run``/``create``.

        Returns the lines the CLI prints on stderr once it has the image, or
        None when it cannot have it (the caller prints the pull's error).
        """
        from netsim.docker.registry import registry_host

        registry = registry_host(image_repository(reference))
        if registry is None:
            return None
        reached = self._reach_registry(registry)
        if not isinstance(reached, RegistryContents):
            return None
        pulled = self._pull_from(reached, reference)
        if isinstance(pulled, str):
            return None
        # The CLI prints the progress, not the final reference line.
        return "".join(line + "\n" for line in pulled[:-1])

    def _cmd_search(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.registry import hub_search_error

        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        upstream = self.daemon.upstream
        if upstream is None:
            raise DockerError("the daemon has no upstream to search")
        error = hub_search_error(upstream, command.args[0], self.daemon.lookup_port())
        return _output(1, "", daemon_error(error) + "\n")

    def _cmd_push(self, command: DockerCommand) -> CommandOutput:
        from netsim.docker.client import not_simulated
        from netsim.docker.registry import MANIFEST_SIZE_BYTES, registry_host

        if len(command.args) != 1:
            return self._arguments_error(command, ArgumentCount(1, 1))
        reference = command.args[0]
        repository = image_repository(reference)
        registry = registry_host(repository)
        if registry is None:
            # Pushing to Docker Hub is not modelled.
            return not_simulated("docker push")
        head = f"The push refers to repository [{repository}]\n"
        store = self.daemon.image_store
        image = store.find(normalise_reference(reference))
        if image is None:
            return _output(1, head, f"An image does not exist locally with the tag: {repository}\n")
        if image.parent is not None:
            return not_simulated("docker push of an image with more than one layer")
        reached = self._reach_registry(registry, pushing=True)
        if reached is None:
            return not_simulated("docker push")
        if isinstance(reached, str):
            # The CLI prints the daemon's error as it is, without "Error response from daemon".
            return _output(1, head, reached + "\n")
        path = repository.partition("/")[2]
        tag = normalise_reference(reference)[len(repository) + 1 :]
        layer = store.new_id("layer:standin")[:12]
        known = reached.layers.setdefault(path, set())
        elsewhere = [other for other, layers in reached.layers.items() if layer in layers]
        if layer in known:
            status = "Layer already exists"
        elif elsewhere:
            # The daemon asks the registry to mount a layer it pushed to another
            # repository there (both engines).
            status = f"Mounted from {elsewhere[0]}"
        else:
            status = "Pushed"
        known.add(layer)
        reached.manifests[f"{path}:{tag}"] = image
        digest = store.manifest_digest(image)
        if f"{repository}@{digest}" not in image.digests:
            image.digests.append(f"{repository}@{digest}")
        return _output(
            0,
            head
            + f"{layer}: Preparing\n{layer}: {status}\n"
            + f"{tag}: digest: {digest} size: {MANIFEST_SIZE_BYTES}\n",
        )

    # -- docker commit ------------------------------------------------------------
    def _cmd_commit(self, command: DockerCommand) -> CommandOutput:
        if not 1 <= len(command.args) <= 2:
            return self._arguments_error(command, ArgumentCount(1, 2))
        reference = command.args[1] if len(command.args) > 1 else None
        if reference is not None:
            try:
                check_reference(
                    reference, names_repository=self.daemon.profile.names_bad_repository
                )
            except DockerError as error:
                return _output(
                    1,
                    "",
                    f'Error parsing reference: "{reference}" is not a valid repository/tag: '
                    f"{error.message}\n",
                )
        try:
            container = self.daemon.find_container(command.args[0])
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        store = self.daemon.image_store
        parent = store.container_images.get(container.id)
        if parent is None:
            parent = store.find(container.image_ref)
        if parent is None:
            return _output(1, "", daemon_error(f"No such image: {container.image_ref}") + "\n")
        try:
            changed = _apply_changes(
                command.values("change"),
                entrypoint=container.entrypoint,
                cmd=container.cmd,
                env=tuple(container.env),
                exposed=parent.exposed,
            )
        except DockerError as error:
            return _output(1, "", daemon_error(error.message) + "\n")
        entrypoint, cmd, env, exposed, labels = changed
        config = ImageConfig(
            entrypoint,
            cmd,
            env,
            exposed,
            labels,
            # Both engines show the container's Cmd, without its entrypoint.
            created_by=" ".join(container.cmd or ()),
        )
        image = store.derive(
            parent,
            container.image,
            "commit",
            container.id,
            self.daemon.clock,
            config,
            tags=[normalise_reference(reference)] if reference else [],
            comment=command.value("message") or "",
            author=command.value("author") or "",
        )
        return _output(0, f"sha256:{store.image_id(image)}\n")


def _virtual_size(size_bytes: int) -> str:
    # docker images' VirtualSize field keeps four significant digits ("1.982MB").
    units = ("B", "kB", "MB", "GB", "TB", "PB")
    size = float(size_bytes)
    unit = 0
    while size >= 1000 and unit < len(units) - 1:
        size /= 1000
        unit += 1
    return f"{size:.4g}{units[unit]}"


def _reference_matches(tag: str, pattern: str) -> bool:
    """Return whether a tag matches a ``docker images REPO[:TAG]`` argument (globs allowed)."""
    repository, tag_name = _split_tag(tag)
    if image_repository(pattern) == pattern:
        return fnmatch.fnmatchcase(repository, pattern)
    pattern_repository, pattern_tag = _split_tag(pattern)
    return fnmatch.fnmatchcase(repository, pattern_repository) and fnmatch.fnmatchcase(
        tag_name, pattern_tag
    )


def _apply_changes(
    changes: list[str],
    *,
    entrypoint: tuple[str, ...] | None,
    cmd: tuple[str, ...] | None,
    env: tuple[str, ...],
    exposed: tuple[str, ...],
) -> tuple[
    tuple[str, ...] | None,
    tuple[str, ...] | None,
    tuple[str, ...],
    tuple[str, ...],
    dict[str, str],
]:
    """Apply ``commit --change`` Dockerfile instructions (CMD ENTRYPOINT ENV EXPOSE LABEL).

    Raises:
        DockerError: an instruction commit does not accept, worded as dockerd does.
    """
    labels: dict[str, str] = {}
    env_list = list(env)
    exposed_list = list(exposed)
    for change in changes:
        instruction, _, rest = change.strip().partition(" ")
        word = instruction.upper()
        rest = rest.strip()
        if word in ("CMD", "ENTRYPOINT"):
            if rest.startswith("["):
                try:
                    value = tuple(str(v) for v in json.loads(rest))
                except (ValueError, TypeError):
                    value = ("/bin/sh", "-c", rest)
            else:
                value = ("/bin/sh", "-c", rest)
            if word == "CMD":
                cmd = value
            else:
                entrypoint = value
        elif word == "ENV":
            key, sep, val = rest.partition("=")
            if not sep:
                key, _, val = rest.partition(" ")
            env_list = [e for e in env_list if e.split("=", 1)[0] != key] + [f"{key}={val}"]
        elif word == "EXPOSE":
            for port in rest.split():
                text = port if "/" in port else f"{port}/tcp"
                if text not in exposed_list:
                    exposed_list.append(text)
        elif word == "LABEL":
            for item in split_words(rest):
                key, _, val = item.partition("=")
                labels[key] = val
        elif word in ("VOLUME", "USER", "WORKDIR", "ONBUILD", "STOPSIGNAL"):
            # Accepted by dockerd's commit; netsim does not show these fields.
            continue
        else:
            raise DockerError(f"{instruction} is not a valid change command", status=400)
    return entrypoint, cmd, tuple(env_list), tuple(sorted(exposed_list)), labels
