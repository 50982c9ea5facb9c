"""environment.yml (conda) and pyproject.toml (pip) name the same packages."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

KIT = Path(__file__).resolve().parents[1]
# Where conda-forge spells a package differently from PyPI (none so far).
CONDA_NAMES: dict[str, str] = {}


def _pyproject_requirements() -> dict[str, Requirement]:
    meta = tomllib.loads((KIT / "pyproject.toml").read_text())["project"]
    reqs = list(meta["dependencies"]) + [r for group in meta["optional-dependencies"].values() for r in group]
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in reqs}


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((KIT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if not isinstance(dep, str):
            continue
        name, spec = re.match(r"^([A-Za-z0-9_.\-]+)(.*)$", dep).groups()
        if name in {"python", "pip"}:
            continue
        out[canonicalize_name(CONDA_NAMES.get(name, name))] = spec.replace(" ", "")
    return out


def test_environment_yml_names_the_same_packages_as_pyproject():
    pip_names, conda_names = set(_pyproject_requirements()), set(_conda_requirements())
    assert conda_names == pip_names, (
        f"only in pyproject.toml: {sorted(pip_names - conda_names)}; "
        f"only in environment.yml: {sorted(conda_names - pip_names)}")


def test_environment_yml_uses_the_same_version_ranges_as_pyproject():
    pip_reqs, conda = _pyproject_requirements(), _conda_requirements()
    for name, req in pip_reqs.items():
        assert sorted(conda[name].split(",")) == sorted(str(req.specifier).split(",")), name


def test_lock_pins_every_declared_package_exactly():
    lock = (KIT / "requirements" / "lock.txt").read_text()
    pinned = {canonicalize_name(m.group(1)): m.group(2)
              for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", lock, re.M)}
    for name, req in _pyproject_requirements().items():
        assert name in pinned, f"{name} is declared in pyproject.toml but not in the lock: run `make lock`"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"the lock pins {name}=={pinned[name]}, outside {req.specifier}: run `make lock`")
