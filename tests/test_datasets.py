"""Datasets load by name, match their data dictionary, and fail clearly when they don't."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from callcoach import datasets
from callcoach.datasets import DatasetError

KIT = Path(__file__).resolve().parents[1]


@pytest.fixture
def copy_of_datasets(tmp_path, monkeypatch) -> Path:
    """A scratch copy of datasets/ that the loader reads instead of the real one."""
    folder = tmp_path / "datasets"
    shutil.copytree(KIT / "datasets", folder)
    monkeypatch.setenv(datasets.DATASETS_ENV, str(folder))
    return folder


def test_load_returns_typed_columns_of_the_data_dictionary():
    intervals = datasets.load("intervals")
    assert list(intervals.columns) == [f["name"] for f in datasets.specs()["intervals"].fields]
    assert pd.api.types.is_datetime64_any_dtype(intervals["interval_start"])
    assert intervals["offered"].dtype == "int64"
    assert (intervals["offered"] == intervals["answered"] + intervals["abandoned"]).all()


def test_load_works_from_any_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(datasets.load("intervals")) > 0


def test_unknown_name_lists_valid_names_and_suggests_the_closest():
    with pytest.raises(KeyError, match=r"no dataset called 'interval'.*Did you mean 'intervals'.*Valid names: intervals"):
        datasets.load("interval")


def test_non_string_name_is_a_type_error():
    with pytest.raises(TypeError, match="must be a dataset name"):
        datasets.load(3)


def test_missing_file_names_the_file_and_the_regeneration_command(copy_of_datasets):
    (copy_of_datasets / "daily.csv").unlink()
    with pytest.raises(DatasetError, match=r"missing: .*daily\.csv.*make datasets"):
        datasets.load("daily")


def test_file_edited_by_hand_is_named_with_how_to_restore_it(copy_of_datasets):
    path = copy_of_datasets / "daily.csv"
    path.write_text(path.read_text().replace(",billing,", ",Billing,", 1))
    with pytest.raises(DatasetError, match=r"daily\.csv does not match the data dictionary.*git checkout.*make datasets"):
        datasets.load("daily")


def test_missing_data_dictionary_says_how_to_regenerate(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.DATASETS_ENV, str(tmp_path))
    with pytest.raises(DatasetError, match="cannot find its data dictionary.*make datasets"):
        datasets.load("intervals")


def test_corrupt_data_dictionary_is_reported(copy_of_datasets):
    (copy_of_datasets / "datapackage.json").write_text("{not json")
    with pytest.raises(DatasetError, match="not valid JSON"):
        datasets.load("intervals")


def test_wrong_columns_are_listed(tmp_path):
    frame = datasets.load("intervals").drop(columns=["abandoned"]).rename(columns={"queue": "Queue"})
    frame.to_csv(tmp_path / "x.csv", index=False)
    with pytest.raises(DatasetError, match=r"wrong columns\. Missing: \['queue', 'abandoned'\]; unexpected: \['Queue'\]"):
        datasets.read_csv(tmp_path / "x.csv", schema="intervals")


def test_value_outside_the_allowed_set_names_column_and_line(tmp_path):
    frame = datasets.load("intervals")
    frame.loc[3, "queue"] = "sales"
    datasets.write_csv(frame, tmp_path / "x.csv")
    with pytest.raises(DatasetError, match=r"column 'queue' has the value 'sales', not one of .* \(line 5\)"):
        datasets.read_csv(tmp_path / "x.csv", schema="intervals")


def test_negative_count_names_column_and_line(tmp_path):
    frame = datasets.load("intervals")
    frame.loc[0, "abandoned"] = -1
    datasets.write_csv(frame, tmp_path / "x.csv")
    with pytest.raises(DatasetError, match=r"column 'abandoned' has the value -1, below the minimum 0 \(line 2\)"):
        datasets.read_csv(tmp_path / "x.csv", schema="intervals")


def test_text_in_a_number_column_is_reported(tmp_path):
    frame = datasets.load("intervals").astype({"answered": "object"})
    frame.loc[0, "answered"] = "twelve"
    datasets.write_csv(frame, tmp_path / "x.csv")
    with pytest.raises(DatasetError, match="does not fit its column's type"):
        datasets.read_csv(tmp_path / "x.csv", schema="intervals")


def test_exercise_file_that_is_missing_tells_the_learner_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatasetError, match=r"Cannot find the data file 'data/intervals\.csv' \(looked in .*\)\. Open the notebook from its own folder"):
        datasets.read_csv("data/intervals.csv", schema="intervals")


def test_regeneration_reproduces_the_committed_files_byte_for_byte(tmp_path):
    datasets.build(tmp_path, progress=False)
    for path in sorted((KIT / "datasets").iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs"


def test_data_package_is_valid_for_frictionless():
    report = frictionless.validate(str(KIT / "datasets" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_every_column_is_typed_and_described():
    for resource in frictionless.Package(str(KIT / "datasets" / "datapackage.json")).resources:
        for field in resource.schema.fields:
            assert field.type != "any" and field.description, f"{resource.name}.{field.name}"


def test_build_into_an_unwritable_folder_names_the_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DatasetError, match="Cannot write datasets into the folder .*file"):
        datasets.build(blocker / "sub", progress=False)


def test_ensure_regenerates_a_deleted_file_and_keeps_the_rest(copy_of_datasets):
    (copy_of_datasets / "daily.csv").unlink()
    message = datasets.ensure(progress=False)
    assert "regenerated daily" in message
    assert (copy_of_datasets / "daily.csv").read_bytes() == (KIT / "datasets" / "daily.csv").read_bytes()


def test_cli_check_reports_a_changed_file_with_exit_code_1(copy_of_datasets, capsys):
    path = copy_of_datasets / "daily.csv"
    path.write_text(path.read_text() + "\n")
    assert datasets.main(["check"]) == 1
    assert "does not match the data dictionary" in capsys.readouterr().err


def test_no_committed_dataset_file_is_over_five_mib():
    """Big tables are split into monthly files, and load joins them back."""
    sizes = {p.name: p.stat().st_size for p in (KIT / "datasets").iterdir()}
    assert max(sizes.values()) < 5 * 2**20, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    calls = datasets.load("calls")
    parts = [r for r in json.loads((KIT / "datasets" / "datapackage.json").read_text())["resources"]
             if r.get("partOf") == "calls"]
    assert len(parts) == 3 and "calls" in datasets.names()
    assert calls["call_id"].is_unique and calls["arrival_time"].is_monotonic_increasing
