"""Reproducible installs: requirements.lock pins, with hashes, everything pyproject.toml asks for, and the
environment the tests run in was installed from it (`make` installs nothing else)."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PINNED = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$")


def locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    pins, name = {}, None
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if match := PINNED.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            pins[name] = (pins[name][0], pins[name][1] + 1)
    return pins


def asked_for() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [
        *project["dependencies"],
        *project["optional-dependencies"]["dev"],
        *project["optional-dependencies"]["bench"],
    ]
    for extra in ("prod", "semantic"):  # dev names them as workbench[prod], workbench[semantic]
        wanted += project["optional-dependencies"][extra]
    return [Requirement(line) for line in wanted if not line.startswith("workbench[")]


def test_the_lock_pins_every_dependency_with_a_version_that_satisfies_it_and_its_hashes():
    pins = locked()
    for requirement in asked_for():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements.lock: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(Version(version), prereleases=True), (
            f"requirements.lock has {name}=={version}, which pyproject.toml's {requirement} refuses: run `make lock`"
        )
        assert hashes, f"{name} has no hash in requirements.lock"
    assert "workbench" not in pins and "file://" not in (ROOT / "requirements.lock").read_text()


def test_the_environment_was_installed_from_the_lock():
    different = {}
    for name, (version, _) in locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or Version(installed) != Version(version):
            different[name] = (version, installed)
    assert not different, f"installed versions differ from requirements.lock (locked, installed): {different}"
