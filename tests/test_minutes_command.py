"""``manage.py import_minutes`` and ``bin/werkstatt import-minutes``: reports, independence of files, exit codes."""

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from werkstatt.importers.models import MinutesSource
from werkstatt.meetings.models import Meeting

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "werkstatt" / "demo" / "seeds" / "003_bc30d92c6853b0cf.txt"


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "protokoll-16.txt"
    path.write_bytes(SEED.read_bytes())
    return path


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    return path


def run(*args: Any) -> tuple[str, str | None]:
    """The command's output, and the CommandError's message if it failed (exit code 1)."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("import_minutes", *[str(a) for a in args], stdout=out, stderr=StringIO())
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_a_missing_file_is_named_in_german(tmp_path):
    with pytest.raises(CommandError, match=r"Diese Datei gibt es nicht: „.*fehlt\.txt“\."):
        call_command("import_minutes", str(tmp_path / "fehlt.txt"))


def test_one_file_prints_its_report_and_the_counts(workshop4, seed):
    out, error = run(seed, "--workshop", "4")
    assert error is None
    lines = out.splitlines()
    assert lines[0].startswith("16. Sitzung der Werkstatt 4 neu angelegt (")
    assert "    Sitzung neu: 16. Sitzung der Werkstatt 4 (24.01.2024, 14:10 Uhr)" in lines
    assert any(line.startswith("    Datei neu: protokoll-16.txt (Originaldokument, Format Text") for line in lines)
    assert lines[-1] == "1 Datei: 1 neu, 0 aktualisiert, 0 unverändert, 0 abgelehnt."
    assert MinutesSource.objects.count() == 1


def test_files_are_independent_and_a_refused_one_makes_the_exit_code_non_zero(workshop4, seed, empty):
    out, error = run(empty, seed, seed, "--workshop", "4")
    assert error == "3 Dateien: 1 neu, 0 aktualisiert, 1 unverändert, 1 abgelehnt."
    assert "„leer.txt“: nichts gespeichert, 1 Fehler." in out
    assert "    Fehler: " in out
    assert "„protokoll-16.txt“ wurde schon importiert (16. Sitzung der Werkstatt 4); nichts geändert." in out
    assert Meeting.objects.filter(number=16).count() == 1


def test_the_dry_run_stores_nothing(workshop4, seed):
    out, error = run(seed, "--workshop", "4", "--dry-run")
    assert error is None
    assert out.splitlines()[0].startswith("Probelauf: 16. Sitzung der Werkstatt 4 wird neu angelegt")
    assert (
        out.splitlines()[-1]
        == "Probelauf, nichts gespeichert: 1 Datei: 1 neu, 0 aktualisiert, 0 unverändert, 0 abgelehnt."
    )
    assert not Meeting.objects.exists() and not MinutesSource.objects.exists()


def test_the_user_must_exist_and_be_of_the_office(workshop4, seed, delegate_w2, office_user):
    with pytest.raises(CommandError, match=r"Einen Benutzer „niemand“ gibt es nicht\."):
        call_command("import_minutes", str(seed), "--user", "niemand")
    with pytest.raises(CommandError, match=r"Protokolle importiert die Geschäftsstelle\."):
        call_command("import_minutes", str(seed), "--workshop", "4", "--user", delegate_w2.username)
    _out, error = run(seed, "--workshop", "4", "--user", office_user.username)
    assert error is None
    assert MinutesSource.objects.get().imported_by == office_user


def test_bin_werkstatt_runs_the_sub_command_with_hyphens(tmp_path):
    script = ROOT / "bin" / "werkstatt"
    assert os.access(script, os.X_OK)
    result = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(script), "import-minutes", str(tmp_path / "fehlt.txt")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "Diese Datei gibt es nicht" in result.stderr
    usage = subprocess.run([str(script)], capture_output=True, text=True, check=False)  # noqa: S603
    assert usage.returncode == 2 and "import-minutes" in usage.stderr
