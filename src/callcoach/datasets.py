"""Load the course's datasets by name, checked against their data dictionary.

The canonical datasets live in the kit's ``datasets/`` folder beside
``datapackage.json``, a `Frictionless Data Package
<https://datapackage.org/standard/data-package/>`_ that types and describes every
column. Notebooks never use paths::

    from callcoach import datasets
    intervals = datasets.load("intervals")

:func:`load` checks, in this order, and stops at the first problem with a message that
says what is wrong and what to do: the name is a known dataset (a typo gets the list of
valid names), the file is there, its bytes are the ones the generator wrote (a file
edited by hand is named, with the command that restores it), and its columns and
values match the data dictionary.

A large table is stored as one file per month (``calls-2026-03.csv.gz`` ...: each part a
resource of the package with ``partOf`` naming its dataset) so that no file grows past a
few megabytes; :func:`load` joins the parts, so a notebook never sees them.

Run ``python -m callcoach.datasets --help`` (or ``make datasets``) to regenerate or
check the files.
"""
from __future__ import annotations

import argparse
import difflib
import functools
import gzip
import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

#: Environment variable that points the loader at another datasets folder.
DATASETS_ENV = "CALLCOACH_DATASETS"
DESCRIPTOR = "datapackage.json"
REGENERATE = "make datasets"

# pandas dtypes for the Frictionless field types we use.
_DTYPES = {"integer": "int64", "number": "float64", "string": "string", "boolean": "bool"}


class DatasetError(ValueError):
    """A dataset file is missing, changed or does not match its data dictionary."""


@dataclass(frozen=True)
class DatasetSpec:
    """What the generator writes for one dataset: its schema and how to make it."""

    name: str
    title: str
    description: str
    fields: tuple[dict, ...]
    primary_key: tuple[str, ...]
    generate: object  # callable returning a DataFrame
    gzip: bool = False
    #: Datetime column that splits the table into one file per month (None: one file).
    monthly_by: str | None = None

    @property
    def path(self) -> str:
        """The file of an unsplit table."""
        return f"{self.name}.csv" + (".gz" if self.gzip else "")

    def parts(self, frame: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
        """``(resource name, file name, rows)`` of each file the table is written to."""
        if self.monthly_by is None:
            return [(self.name, self.path, frame)]
        month = frame[self.monthly_by].dt.strftime("%Y-%m")
        suffix = ".csv" + (".gz" if self.gzip else "")
        return [(f"{self.name}-{m}", f"{self.name}-{m}{suffix}", frame[month == m])
                for m in sorted(month.unique())]


#: Scenario preset of the canonical datasets.
PRESET = "default"
#: Instructor-only folder (relative to the kit) for the simulation's ground truth.
TRUTH_DIR = Path("instructor") / "ground_truth"


@functools.lru_cache(maxsize=2)
def _world(preset: str = PRESET):
    """The simulated world of a preset, made once per process."""
    from callcoach.sim import simulate

    return simulate(preset, progress=False)


def _world_spec(name: str, table: dict) -> DatasetSpec:
    return DatasetSpec(
        name=name,
        title=table["title"],
        description=table["description"],
        fields=tuple(table["fields"]),
        primary_key=tuple(table["primary_key"]),
        generate=lambda: _world(PRESET).tables[name],
        gzip=bool(table.get("gzip", False)),
        monthly_by=table.get("monthly_by"),
    )


def specs() -> dict[str, DatasetSpec]:
    """Every dataset the kit generates, by name.

    All come from one run of the simulated world (``callcoach.sim.simulate("default")``).

    Examples
    --------
    >>> sorted(specs())[:5]
    ['adherence', 'agent_states', 'agents', 'calibration_scores', 'calls']
    >>> specs()["calls"].monthly_by  # one file per month of arrival
    'arrival_time'
    """
    from callcoach.sim.schema import TABLES

    return {name: _world_spec(name, table) for name, table in TABLES.items()}


# --------------------------------------------------------------------------- paths


#: The ``datasets/`` folder of the kit this package was installed from.
_KIT_DATASETS = Path(__file__).resolve().parents[2] / "datasets"


def _folder() -> Path:
    """``$CALLCOACH_DATASETS`` if set, else the kit's datasets folder (not checked)."""
    return Path(os.environ.get(DATASETS_ENV) or _KIT_DATASETS)


def datasets_dir() -> Path:
    """The folder holding ``datapackage.json`` and the dataset files.

    ``$CALLCOACH_DATASETS`` if set, else the ``datasets/`` folder of the kit this
    package was installed from.
    """
    folder = _folder()
    if not (folder / DESCRIPTOR).is_file():
        raise DatasetError(
            f"callcoach cannot find its data dictionary {folder / DESCRIPTOR}. "
            f"Run `{REGENERATE}` in the kit's folder, or set {DATASETS_ENV} to the folder "
            "that holds datapackage.json."
        )
    return folder


def _descriptor(folder: Path) -> dict:
    path = folder / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(
            f"The data dictionary {path} is not valid JSON ({exc.msg} at line {exc.lineno}). "
            f"Restore it with `git checkout -- {path.name}` or run `{REGENERATE}`."
        ) from exc


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names() -> list[str]:
    """Names of the datasets in the data dictionary.

    Examples
    --------
    >>> "intervals" in names()
    True
    """
    return list(dict.fromkeys(_dataset_of(r) for r in _descriptor(datasets_dir())["resources"]))


def _dataset_of(resource: dict) -> str:
    """The dataset a package resource belongs to (itself, or the table it is a part of)."""
    return resource.get("partOf", resource["name"])


# --------------------------------------------------------------------------- loading


def _resource(descriptor: dict, name: str) -> dict:
    """The (first) package resource of dataset ``name``: its schema is the dataset's."""
    return _parts(descriptor, name)[0]


def _parts(descriptor: dict, name: str) -> list[dict]:
    """The package resources of dataset ``name``: one, or one per month."""
    if not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of load must be a dataset name (str). Got {name!r} instead.")
    by_name: dict[str, list[dict]] = {}
    for r in descriptor["resources"]:
        by_name.setdefault(_dataset_of(r), []).append(r)
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, by_name, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    valid = close + sorted(set(by_name) - set(close))  # the likeliest first
    raise KeyError(
        f"There is no dataset called {name!r}.{hint} "
        f"Valid names: {', '.join(valid)}."
    )


def _check_file(folder: Path, resource: dict) -> Path:
    path = folder / resource["path"]
    if not path.is_file():
        raise DatasetError(
            f"The file for dataset {resource['name']!r} is missing: {path}. "
            f"Regenerate the datasets with `{REGENERATE}` (in the kit's folder)."
        )
    expected = resource.get("hash", "")
    if expected:
        algorithm, _, digest = expected.rpartition(":")
        if (algorithm or "md5") != "sha256":
            raise DatasetError(f"Unsupported hash {expected!r} for {path} in {DESCRIPTOR}.")
        if _sha256(path) != digest:
            raise DatasetError(
                f"The file {path} does not match the data dictionary: it was changed after it "
                f"was generated (its checksum differs). Restore it with "
                f"`git checkout -- datasets/{resource['path']}` or regenerate with `{REGENERATE}`."
            )
    return path


def _read_with_schema(path: Path, fields: list[dict], where: str) -> pd.DataFrame:
    expected = [f["name"] for f in fields]
    try:
        header = pd.read_csv(path, nrows=0).columns.tolist()
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{where[0].upper()}{where[1:]} is not a readable CSV file ({exc}).") from exc
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing or extra:
        raise DatasetError(
            f"{where[0].upper()}{where[1:]} has the wrong columns. Missing: {missing or 'none'}; "
            f"unexpected: {extra or 'none'}. Expected: {expected}."
        )
    dtypes = {f["name"]: _DTYPES[f["type"]] for f in fields if f["type"] in _DTYPES}
    for f in fields:  # integer columns that may be empty hold pandas' nullable Int64
        if f["type"] == "integer" and not f.get("constraints", {}).get("required"):
            dtypes[f["name"]] = "Int64"
    dates = [f["name"] for f in fields if f["type"] in {"datetime", "date"}]
    try:
        frame = pd.read_csv(path, dtype=dtypes, parse_dates=dates)
    except (ValueError, TypeError) as exc:
        raise DatasetError(
            f"{where[0].upper()}{where[1:]} has a value that does not fit its column's type ({exc}). "
            f"Column types: { {f['name']: f['type'] for f in fields} }."
        ) from exc
    for field in fields:
        _check_field(frame, field, where)
    return frame[expected]


def _check_field(frame: pd.DataFrame, field: dict, where: str) -> None:
    name, col = field["name"], frame[field["name"]]
    rules = field.get("constraints", {})
    if field["type"] in {"datetime", "date"} and not pd.api.types.is_datetime64_any_dtype(col):
        raise DatasetError(f"In {where}, column {name!r} holds values that are not dates.")
    if rules.get("required") and col.isna().any():
        row = int(col.isna().to_numpy().argmax()) + 2
        raise DatasetError(f"In {where}, column {name!r} has an empty value (line {row}); every row needs one.")
    bad = None
    if "minimum" in rules:
        bad = col < rules["minimum"]
        what = f"below the minimum {rules['minimum']}"
    if "enum" in rules and (bad is None or not bad.any()):
        bad = ~col.isin(rules["enum"]) & col.notna()
        what = f"not one of {rules['enum']}"
    if bad is not None and bad.any():
        row = int(bad.to_numpy().argmax())
        value = col.iloc[row]
        value = value.item() if hasattr(value, "item") else value
        raise DatasetError(f"In {where}, column {name!r} has the value {value!r}, {what} (line {row + 2}).")


def load(name: str) -> pd.DataFrame:
    """Load a course dataset by name, checked against the data dictionary.

    Parameters
    ----------
    name : str
        Dataset name, e.g. ``"intervals"``. :func:`names` lists them all.

    Returns
    -------
    pandas.DataFrame
        One column per field of the dataset's schema, typed as the data dictionary says
        (integers, numbers, strings, datetimes).

    Raises
    ------
    KeyError
        For an unknown name; the message lists the valid names.
    DatasetError
        When the file is missing, was changed after it was generated, or does not match
        its schema; the message names the file and the command that regenerates it.

    Examples
    --------
    >>> intervals = load("intervals")
    >>> intervals.shape
    (52272, 14)
    >>> load("intervals.csv")
    Traceback (most recent call last):
    ...
    KeyError: "There is no dataset called 'intervals.csv'. Did you mean 'intervals'? Valid names: intervals, adherence, ..."
    """
    folder = datasets_dir()
    frames = []
    for resource in _parts(_descriptor(folder), name):
        path = _check_file(folder, resource)
        frames.append(_read_with_schema(path, resource["schema"]["fields"], f"dataset {name!r} ({path})"))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def describe(name: str) -> pd.DataFrame:
    """The data dictionary of one dataset: every column with its type, unit and meaning.

    Parameters
    ----------
    name : str
        Dataset name, e.g. ``"intervals"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``type``, ``unit`` and ``description``, one row per column.

    Examples
    --------
    >>> describe("intervals").loc[2, ["column", "unit"]].tolist()
    ['offered', 'calls']
    """
    resource = _resource(_descriptor(datasets_dir()), name)
    return pd.DataFrame(
        [{"column": f["name"], "type": f["type"], "unit": f.get("unit", ""),
          "description": f.get("description", "")} for f in resource["schema"]["fields"]]
    )


def read_csv(path: str | os.PathLike, *, schema: str) -> pd.DataFrame:
    """Read a CSV file that travels with an exercise, checked against a dataset's schema.

    Exercises carry their own data files (``data/…csv`` beside the notebook). This reads
    one with the same column checks and types as :func:`load`, and explains a missing
    file in terms a learner can act on.

    Parameters
    ----------
    path : str or path-like
        The file, usually relative to the notebook's folder.
    schema : str
        Name of the dataset whose schema the file follows, e.g. ``"intervals"``.

    Examples
    --------
    >>> read_csv("no/such/file.csv", schema="intervals")
    Traceback (most recent call last):
    ...
    callcoach.datasets.DatasetError: Cannot find the data file 'no/such/file.csv' ...
    """
    file = Path(path)
    resource = _resource(_descriptor(datasets_dir()), schema)
    if not file.is_file():
        raise DatasetError(
            f"Cannot find the data file '{path}' (looked in {Path.cwd()}). Open the notebook "
            "from its own folder, where its data/ folder is, and restart the kernel; if the "
            "file was deleted, download the exercise again."
        )
    return _read_with_schema(file, resource["schema"]["fields"], f"the data file '{path}'")


# --------------------------------------------------------------------------- building


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write a table the way every committed dataset is written (byte-reproducible).

    A path ending in ``.gz`` is gzipped with a zero timestamp and no file name in the
    header, so the same table always gives the same bytes.
    """
    path = Path(path)
    if path.suffix != ".gz":
        frame.to_csv(path, index=False, lineterminator="\n",
                     date_format="%Y-%m-%dT%H:%M:%S")
        return
    text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9,
                       mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def _check_writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise DatasetError(
            f"Cannot write datasets into the folder {folder}: {exc.strerror}.") from exc


def write_ground_truth(folder: Path | None = None, *, preset: str = PRESET) -> Path:
    """Write the simulation's ground truth (instructor-only) into ``folder``.

    By default the kit's ``instructor/ground_truth/``: latent agent traits, each call's
    true resolution, calibration calls' true item scores, evaluators' bias and drift, and
    the measured effect sizes (``effects.json``). Never written into ``datasets/``
    (learner data) or ``exercises/``.
    """
    from callcoach.sim.effects import measure_effects
    from callcoach.sim.schema import TRUTH_FILES

    folder = Path(folder) if folder else _KIT_DATASETS.parent / TRUTH_DIR
    _check_writable(folder)
    world = _world(preset)
    for name in TRUTH_FILES:
        frame = world.truth[name]
        big = len(frame) > 20_000
        write_csv(frame, folder / (f"{name}.csv" + (".gz" if big else "")))
    effects = measure_effects(world)
    (folder / "effects.json").write_text(json.dumps(effects, indent=2, sort_keys=True)
                                         + "\n", encoding="utf-8")
    return folder


def build(folder: Path | None = None, *, only: list[str] | None = None, progress: bool = True,
          truth: Path | None = None) -> Path:
    """Generate every dataset and write ``datapackage.json`` into ``folder``.

    Deterministic: the same version of callcoach writes the same bytes.

    Parameters
    ----------
    folder : path, optional
        Where to write; by default the kit's ``datasets/`` folder.
    truth : path, optional
        Where to write the instructor-only ground truth. By default the kit's
        ``instructor/ground_truth/`` when ``folder`` is the default, else nowhere.
    only : list of str, optional
        Generate just these datasets (the data dictionary still lists all).
    progress : bool, default True
        Show a progress bar.
    """
    from tqdm.auto import tqdm

    default_folder = folder is None
    folder = Path(folder) if folder else _KIT_DATASETS
    _check_writable(folder)
    if truth is None and default_folder:
        truth = _KIT_DATASETS.parent / TRUTH_DIR
    if truth is not None:
        _check_writable(Path(truth))
    all_specs = specs()
    unknown = sorted(set(only or []) - set(all_specs))
    if unknown:
        raise KeyError(f"Unknown dataset(s) {unknown}. Valid names: {', '.join(sorted(all_specs))}.")
    resources = []
    todo = list(all_specs.values())
    bar = tqdm(total=len(todo) + 1 + (truth is not None), desc="datasets",
               disable=not progress)
    bar.set_postfix_str("simulating the world")
    _world(PRESET)
    bar.update(1)
    for spec in todo:
        bar.set_postfix_str(spec.name)
        for part, file, rows in spec.parts(spec.generate()):
            path = folder / file
            if only is None or spec.name in only:
                write_csv(rows.reset_index(drop=True), path)
            resource = {
                "name": part,
                "title": spec.title + ("" if part == spec.name else f", {part[len(spec.name) + 1:]}"),
                "description": spec.description,
                "path": file,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": path.stat().st_size,
                "hash": "sha256:" + _sha256(path),
                "schema": {"fields": list(spec.fields), "primaryKey": list(spec.primary_key)},
            }
            if part != spec.name:
                resource["partOf"] = spec.name
            if spec.gzip:
                resource["compression"] = "gz"
            resources.append(resource)
        bar.update(1)
    if truth is not None:
        bar.set_postfix_str("ground truth")
        write_ground_truth(Path(truth))
        bar.update(1)
    bar.close()
    descriptor = {
        "name": "callcoach-datasets",
        "title": "callcoach: the simulated contact centre's datasets",
        "description": (
            "Datasets of one fictional company's customer-service centre, generated by the "
            "callcoach package from fixed seeds. Regenerate with `make datasets`."
        ),
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }
    (folder / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def check(*, progress: bool = True) -> list[str]:
    """Load every dataset once; return their names or raise the first problem found."""
    from tqdm.auto import tqdm

    checked = []
    for name in tqdm(names(), desc="checking datasets", disable=not progress):
        load(name)
        checked.append(name)
    return checked


def ensure(*, progress: bool = True) -> str:
    """Make sure the datasets are present and valid: build what is missing, check all.

    Files that were changed by hand are *not* overwritten (that would lose someone's
    work); the error says how to restore them.
    """
    folder = _folder()
    if not (folder / DESCRIPTOR).is_file():
        build(folder, progress=progress)
        return f"datasets: generated {len(specs())} into {folder}"
    descriptor = _descriptor(folder)
    missing = list(dict.fromkeys(_dataset_of(r) for r in descriptor["resources"]
                                 if not (folder / r["path"]).is_file()))
    if missing:
        build(folder, only=missing, progress=progress)
    names_checked = check(progress=progress)
    return f"datasets: {len(names_checked)} present and valid in {folder}" + (
        f" (regenerated {', '.join(missing)})" if missing else "")


def main(argv: list[str] | None = None) -> int:
    """``python -m callcoach.datasets {build,check,ensure}``."""
    parser = argparse.ArgumentParser(prog="python -m callcoach.datasets", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="regenerate every dataset and the data dictionary")
    b.add_argument("--out", type=Path, default=None, help="folder to write (default: the kit's datasets/)")
    sub.add_parser("check", help="load and validate every dataset")
    sub.add_parser("ensure", help="generate missing datasets, then check them all")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            folder = build(args.out)
            print(f"datasets: wrote {len(specs())} dataset(s) and {DESCRIPTOR} to {folder}")
        elif args.command == "check":
            print(f"datasets: {len(check())} present and valid")
        else:
            print(ensure())
    except (DatasetError, KeyError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
