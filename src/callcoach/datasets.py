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

Run ``python -m callcoach.datasets --help`` (or ``make datasets``) to regenerate or
check the files.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
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

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


def _intervals_spec() -> DatasetSpec:
    from callcoach.sim import starter

    def count(name: str, description: str) -> dict:
        return {"name": name, "type": "integer", "unit": "calls", "description": description,
                "constraints": {"required": True, "minimum": 0}}

    def seconds(name: str, description: str) -> dict:
        return {"name": name, "type": "integer", "unit": "seconds", "description": description,
                "constraints": {"required": True, "minimum": 0}}

    fields = (
        {"name": "interval_start", "type": "datetime", "format": "%Y-%m-%dT%H:%M:%S",
         "description": "Start of the 30-minute interval, local time (the centre opens 08:00-20:00).",
         "constraints": {"required": True}},
        {"name": "queue", "type": "string", "description": "Queue (line of business) the calls were offered to.",
         "constraints": {"required": True, "enum": list(starter.QUEUES)}},
        count("offered", "Calls offered to the queue in the interval: answered + abandoned."),
        count("answered", "Calls answered by an agent."),
        count("abandoned", "Calls where the caller hung up before an agent answered."),
        count("answered_within_threshold", "Answered calls that waited 20 seconds or less (the service-level threshold)."),
        count("abandoned_within_threshold", "Abandoned calls whose caller hung up within 20 seconds."),
        count("short_abandons", "Abandoned calls whose caller hung up within 5 seconds (often misdials or IVR slips)."),
        seconds("wait_answered_s", "Total seconds answered callers waited in the queue (numerator of ASA)."),
        seconds("talk_s", "Total talk time of the answered calls."),
        seconds("hold_s", "Total time answered callers spent on hold."),
        seconds("acw_s", "Total after-call work (wrap-up) time of the answered calls."),
        {"name": "scheduled_agents", "type": "integer", "unit": "agents",
         "description": "Agents the workforce plan scheduled on the queue for the interval.",
         "constraints": {"required": True, "minimum": 0}},
        {"name": "staffed_agents", "type": "number", "unit": "agents",
         "description": "Average agents actually logged in and available for calls during the interval.",
         "constraints": {"required": True, "minimum": 0}},
    )
    return DatasetSpec(
        name="intervals",
        title="Queue statistics per 30-minute interval",
        description=(
            "One week of the fictional centre's queue report: one row per queue per half hour, "
            "with calls offered, answered and abandoned, waiting and handle times, and staffing. "
            "Made by callcoach.sim.starter.generate_intervals(seed=2026)."
        ),
        fields=fields,
        primary_key=("interval_start", "queue"),
        generate=lambda: starter.generate_intervals(seed=2026),
    )


def specs() -> dict[str, DatasetSpec]:
    """Every dataset the kit generates, by name.

    Examples
    --------
    >>> sorted(specs())
    ['intervals']
    """
    spec_list = [_intervals_spec()]
    return {s.name: s for s in spec_list}


# --------------------------------------------------------------------------- paths


def datasets_dir() -> Path:
    """The folder holding ``datapackage.json`` and the dataset files.

    ``$CALLCOACH_DATASETS`` if set, else the ``datasets/`` folder of the kit this
    package was installed from.
    """
    env = os.environ.get(DATASETS_ENV)
    folder = Path(env) if env else Path(__file__).resolve().parents[2] / "datasets"
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
    return [r["name"] for r in _descriptor(datasets_dir())["resources"]]


# --------------------------------------------------------------------------- loading


def _resource(descriptor: dict, name: str) -> dict:
    if not isinstance(name, str):
        raise TypeError(f"The 'name' parameter of load must be a dataset name (str). Got {name!r} instead.")
    by_name = {r["name"]: r for r in descriptor["resources"]}
    if name in by_name:
        return by_name[name]
    close = difflib.get_close_matches(name, by_name, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise KeyError(
        f"There is no dataset called {name!r}.{hint} "
        f"Valid names: {', '.join(sorted(by_name))}."
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
        bad = ~col.isin(rules["enum"])
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
    (504, 14)
    >>> load("intervals.csv")
    Traceback (most recent call last):
    ...
    KeyError: "There is no dataset called 'intervals.csv'. Did you mean 'intervals'? Valid names: intervals."
    """
    folder = datasets_dir()
    resource = _resource(_descriptor(folder), name)
    path = _check_file(folder, resource)
    return _read_with_schema(path, resource["schema"]["fields"], f"dataset {name!r} ({path})")


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
    """Write a table the way every committed dataset is written (byte-reproducible)."""
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%dT%H:%M:%S")


def build(folder: Path | None = None, *, only: list[str] | None = None, progress: bool = True) -> Path:
    """Generate every dataset and write ``datapackage.json`` into ``folder``.

    Deterministic: the same version of callcoach writes the same bytes.

    Parameters
    ----------
    folder : path, optional
        Where to write; by default the kit's ``datasets/`` folder.
    only : list of str, optional
        Generate just these datasets (the data dictionary still lists all).
    progress : bool, default True
        Show a progress bar.
    """
    from tqdm.auto import tqdm

    folder = Path(folder) if folder else Path(__file__).resolve().parents[2] / "datasets"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise DatasetError(f"Cannot write datasets into the folder {folder}: {exc.strerror}.") from exc
    all_specs = specs()
    unknown = sorted(set(only or []) - set(all_specs))
    if unknown:
        raise KeyError(f"Unknown dataset(s) {unknown}. Valid names: {', '.join(sorted(all_specs))}.")
    resources = []
    for spec in tqdm(list(all_specs.values()), desc="datasets", disable=not progress):
        path = folder / spec.path
        if only is None or spec.name in only:
            frame = spec.generate()
            write_csv(frame, path)
        resources.append({
            "name": spec.name,
            "title": spec.title,
            "description": spec.description,
            "path": spec.path,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": path.stat().st_size,
            "hash": "sha256:" + _sha256(path),
            "schema": {"fields": list(spec.fields), "primaryKey": list(spec.primary_key)},
        })
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
    folder = Path(os.environ.get(DATASETS_ENV) or Path(__file__).resolve().parents[2] / "datasets")
    if not (folder / DESCRIPTOR).is_file():
        build(folder, progress=progress)
        return f"datasets: generated {len(specs())} into {folder}"
    descriptor = _descriptor(folder)
    missing = [r["name"] for r in descriptor["resources"] if not (folder / r["path"]).is_file()]
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
