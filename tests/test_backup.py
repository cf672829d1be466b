"""``bin/werkstatt backup`` and ``restore`` (issue 9, item 5; werkstatt/core/backup.py, docs/operations.md).

The round trip: demo data, participation and media files → backup → an empty database and an empty media folder →
restore → identical row counts and checksums of every table and identical SHA-256 of every file. Then each bad
input: a clear German message, a non-zero exit, and the target database and MEDIA_ROOT unchanged.
"""

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from tests.backup_support import (
    members,
    scratch_database,
    state,
    werkstatt,
    with_manifest,
    with_member_byte_flipped,
    write_tar,
)
from tests.factories import PersonFactory
from werkstatt.core.backup import DUMP_NAMES, MANIFEST_NAME, media_listing, table_checksums
from werkstatt.documents.models import File
from werkstatt.organizations.models import Workshop
from werkstatt.participation.models import Idea
from werkstatt.participation.services.ideas import idea_submit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def backup(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *options, stdout=out)
    return out.getvalue()


def manifest_of(archive: Path) -> dict[str, Any]:
    return json.loads(members(archive)[MANIFEST_NAME])


# --- the round trip -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_identical_tables_and_files(demo: Any, settings: Any, tmp_path: Path) -> None:
    """Committed data (the pg_dump child sees only that): the demo, an idea with an attachment (its confirmation
    job waits in the queue), and a file under MEDIA_ROOT that no row refers to."""
    idea_submit(
        workshop=Workshop.objects.get(number=4),
        title="Radweg zwischen Spremberg und Cottbus",
        description="Ein durchgehender Radweg entlang der Spree, mit Skizze.",
        municipality=None,
        latitude=None,
        longitude=None,
        attachment=SimpleUploadedFile("skizze.pdf", PDF, content_type="application/pdf"),
        by_young_person=False,
        email="anwohnerin@example.org",
    )
    media = Path(settings.MEDIA_ROOT)
    (media / "berichte").mkdir(parents=True)
    (media / "berichte" / "Statusbericht März.txt").write_text("nicht in der Datenbank", encoding="utf-8")
    source_tables = table_checksums(connection)
    source_files = media_listing(media)
    minutes = set(File.objects.exclude(file="").values_list("file", flat=True))
    attachments = set(Idea.objects.exclude(attachment="").values_list("attachment", flat=True))
    assert minutes, "the demo stores the published minutes"
    assert len(attachments) == 1
    referenced = minutes | attachments

    archive = tmp_path / "werkstatt.tar.gz"
    output = backup(archive)
    assert output.startswith(f"Sicherung geschrieben: {archive} (")
    assert {p.name for p in tmp_path.iterdir()} == {"werkstatt.tar.gz", "media"}, "no temporary file is left"

    manifest = manifest_of(archive)
    assert manifest["format"] == "werkstatt-backup"
    assert manifest["version"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["database"]["tables"] == source_tables
    assert {"django_migrations", "django_tasks_database_dbtaskresult", "search_searchentry"} <= set(source_tables)
    assert "documents_historicalfile" in source_tables
    assert source_tables["django_tasks_database_dbtaskresult"]["rows"] >= 1
    assert manifest["database"]["migrations"]["participation"].startswith("00")
    assert {name: {"size": e["size"], "sha256": e["sha256"]} for name, e in manifest["files"].items()} == source_files
    assert {name for name, e in manifest["files"].items() if e["referenced"]} == referenced
    assert manifest["missing_files"] == []

    target_media = tmp_path / "restored-media"
    target_media.mkdir()
    with scratch_database(tmp_path) as scratch:
        # A media folder with a file in it is refused, and the empty database stays empty.
        (target_media / "alt.txt").write_text("alt", encoding="utf-8")
        refused = werkstatt("restore", str(archive), database_url=scratch.url, media_root=target_media)
        assert refused.returncode == 1
        assert "MEDIA_ROOT" in refused.stderr and "enthält schon Dateien" in refused.stderr
        assert "Nichts wurde verändert." in refused.stderr
        assert scratch.checksums() == {}
        assert [p.name for p in target_media.iterdir()] == ["alt.txt"]
        (target_media / "alt.txt").unlink()

        restored = werkstatt("restore", str(archive), database_url=scratch.url, media_root=target_media)
        assert restored.returncode == 0, restored.stderr
        assert "Wiederhergestellt: Sicherung vom " in restored.stdout
        assert "stimmen mit der Sicherung überein" in restored.stdout
        assert scratch.checksums() == source_tables
        assert media_listing(target_media) == source_files

        # Now the database is not empty: without --force nothing changes, with --force it is replaced entirely.
        scratch.execute("CREATE TABLE zusaetzlich (wert integer)")
        again = werkstatt("restore", str(archive), database_url=scratch.url, media_root=target_media)
        assert again.returncode == 1
        assert "Die Datenbank ist nicht leer" in again.stderr and "--force" in again.stderr
        assert set(scratch.checksums()) == set(source_tables) | {"zusaetzlich"}
        forced = werkstatt("restore", str(archive), "--force", database_url=scratch.url, media_root=target_media)
        assert forced.returncode == 0, forced.stderr
        assert "vorherige Daten ersetzt" in forced.stdout
        assert scratch.checksums() == source_tables
        assert media_listing(target_media) == source_files


# --- the checksum function -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_table_checksums_follow_content_not_physical_order() -> None:
    first = PersonFactory(family_name="Adler")
    PersonFactory(family_name="Birke")
    before = table_checksums(connection)
    first.family_name = "Anders"
    first.save(update_fields=["family_name"])
    changed = table_checksums(connection)
    first.family_name = "Adler"
    first.save(update_fields=["family_name"])  # on PostgreSQL the row now lies physically after the other one
    assert changed["organizations_person"]["checksum"] != before["organizations_person"]["checksum"]
    assert changed["organizations_person"]["rows"] == before["organizations_person"]["rows"]
    assert table_checksums(connection)["organizations_person"] == before["organizations_person"]


# --- bad input of the backup ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_when_a_referenced_file_is_missing(settings: Any, tmp_path: Path) -> None:
    File.objects.create(name="Protokoll", file="files/2024/01/protokoll.pdf")
    archive = tmp_path / "sicherung.tar"
    with pytest.raises(CommandError) as refused:
        backup(archive)
    message = str(refused.value)
    assert "verweist auf 1 Datei(en), die in MEDIA_ROOT" in message
    assert "„files/2024/01/protokoll.pdf“" in message
    assert "nichts geschrieben" in message
    assert list(tmp_path.iterdir()) == [], "no archive and no half-written file"

    output = io.StringIO()
    errors = io.StringIO()
    call_command("backup", str(archive), "--allow-missing", stdout=output, stderr=errors)
    assert "Datei fehlt in MEDIA_ROOT und damit in der Sicherung: files/2024/01/protokoll.pdf" in errors.getvalue()
    assert manifest_of(archive)["missing_files"] == ["files/2024/01/protokoll.pdf"]


@pytest.mark.django_db
def test_backup_does_not_overwrite_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "sicherung.tar"
    existing.write_bytes(b"alte Sicherung")
    with pytest.raises(CommandError, match=r"gibt es schon; nichts geschrieben\. Mit --force wird sie ersetzt\."):
        backup(existing)
    assert existing.read_bytes() == b"alte Sicherung"


# --- bad input of the restore: nothing changes ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def valid_archive(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real backup of the (migrated) test database with two files under its media folder, made once."""
    folder = tmp_path_factory.mktemp("valid-backup")
    media = folder / "media"
    (media / "files" / "2024").mkdir(parents=True)
    (media / "files" / "2024" / "einladung.pdf").write_bytes(PDF)
    (media / "notiz.txt").write_text("Notiz", encoding="utf-8")
    archive = folder / "sicherung.tar"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        backup(archive)
    return archive


@pytest.fixture
def target(db: None, settings: Any) -> Path:
    """The target of the refused restores: the test database with data in it and a media folder with a file."""
    PersonFactory(family_name="Bleibt")
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "vorhanden.txt").write_text("bleibt", encoding="utf-8")
    return media


def refused_restore(archive: Path | str, media: Path, *, force: bool = True) -> str:
    """Run the restore (with --force unless told otherwise: the checks come before any change), assert that it is
    refused and that database and media folder are unchanged; return the message."""
    before = state(media)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive), *(["--force"] if force else []))
    assert state(media) == before
    message = str(refused.value)
    assert message.endswith("Nichts wurde verändert.")
    return message


def test_restore_refuses_a_missing_file(target: Path, tmp_path: Path) -> None:
    message = refused_restore(tmp_path / "gibt-es-nicht.tar", target)
    assert message.startswith(f"Die Datei „{tmp_path / 'gibt-es-nicht.tar'}“ gibt es nicht.")


def test_restore_refuses_a_non_empty_database_without_force(target: Path, valid_archive: Path) -> None:
    message = refused_restore(valid_archive, target, force=False)
    assert message.startswith("Die Datenbank ist nicht leer (")
    assert "Mit --force wird sie vollständig ersetzt" in message


def test_restore_refuses_a_truncated_archive(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    data = valid_archive.read_bytes()
    truncated = tmp_path / "abgeschnitten.tar"
    truncated.write_bytes(data[: len(data) // 2])
    message = refused_restore(truncated, target)
    assert "ist beschädigt" in message and "abgeschnitten?" in message


def test_restore_refuses_a_truncated_compressed_archive(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    compressed = write_tar(tmp_path / "voll.tar.gz", members(valid_archive))
    data = compressed.read_bytes()
    truncated = tmp_path / "abgeschnitten.tar.gz"
    truncated.write_bytes(data[: len(data) * 3 // 4])
    message = refused_restore(truncated, target)
    assert "ist beschädigt" in message and "abgeschnitten?" in message


def test_restore_refuses_a_flipped_byte_in_the_dump(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    damaged = with_member_byte_flipped(valid_archive, tmp_path / "kippt.tar", DUMP_NAMES[connection.vendor])
    message = refused_restore(damaged, target)
    assert "Die Prüfsumme der Datenbanksicherung stimmt nicht mit dem Manifest überein." in message


def test_restore_refuses_a_flipped_byte_in_a_file(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    damaged = with_member_byte_flipped(valid_archive, tmp_path / "kippt.tar", "media/files/2024/einladung.pdf")
    message = refused_restore(damaged, target)
    assert "Die Prüfsumme der Datei „files/2024/einladung.pdf“ stimmt nicht" in message


def test_restore_refuses_a_manifest_whose_checksum_does_not_match(
    target: Path, valid_archive: Path, tmp_path: Path
) -> None:
    def wrong_checksum(manifest: dict[str, Any]) -> None:
        manifest["database"]["dump"]["sha256"] = "0" * 64

    message = refused_restore(with_manifest(valid_archive, tmp_path / "manifest.tar", wrong_checksum), target)
    assert "Die Prüfsumme der Datenbanksicherung stimmt nicht mit dem Manifest überein." in message


def test_restore_refuses_a_file_missing_from_the_archive(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    contents = members(valid_archive)
    del contents["media/notiz.txt"]
    message = refused_restore(write_tar(tmp_path / "luecke.tar", contents), target)
    assert "Die Datei „notiz.txt“ steht im Manifest, fehlt aber im Archiv." in message


def test_restore_refuses_a_tar_without_our_manifest(target: Path, tmp_path: Path) -> None:
    foreign = write_tar(tmp_path / "fremd.tar", {"hallo.txt": b"Hallo"})
    message = refused_restore(foreign, target)
    assert message == f"„{foreign}“ ist keine Werkstatt-Sicherung: Das Archiv enthält keine manifest.json. " + (
        "Nichts wurde verändert."
    )


def test_restore_refuses_a_random_file(target: Path, tmp_path: Path) -> None:
    random_file = tmp_path / "zufall.bin"
    random_file.write_bytes(bytes(range(256)) * 40)
    message = refused_restore(random_file, target)
    assert "ist keine Werkstatt-Sicherung: Die Datei ist kein lesbares tar-Archiv." in message


def test_restore_refuses_another_format_and_a_newer_version(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    def other_format(manifest: dict[str, Any]) -> None:
        manifest["format"] = "anderes-programm"

    def newer(manifest: dict[str, Any]) -> None:
        manifest["version"] = 99

    message = refused_restore(with_manifest(valid_archive, tmp_path / "format.tar", other_format), target)
    assert "ist keine Werkstatt-Sicherung: manifest.json nennt nicht das Format „werkstatt-backup“." in message
    message = refused_restore(with_manifest(valid_archive, tmp_path / "version.tar", newer), target)
    assert "hat die Formatversion 99; dieser Programmstand liest nur Version 1." in message


def test_restore_refuses_a_backup_of_the_other_database_vendor(
    target: Path, valid_archive: Path, tmp_path: Path
) -> None:
    """The same archive, relabelled as coming from the other vendor (its checksums still match)."""
    ours = connection.vendor
    other = "sqlite" if ours == "postgresql" else "postgresql"
    contents = members(valid_archive)
    manifest = json.loads(contents.pop(MANIFEST_NAME))
    contents[DUMP_NAMES[other]] = contents.pop(DUMP_NAMES[ours])
    manifest["database"]["vendor"] = other
    manifest["database"]["dump"]["name"] = DUMP_NAMES[other]
    contents[MANIFEST_NAME] = json.dumps(manifest).encode()
    message = refused_restore(write_tar(tmp_path / "andere.tar", contents), target)
    labels = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert message.startswith(
        f"Die Sicherung stammt aus einer {labels[other]}-Datenbank, eingerichtet ist {labels[ours]}."
    )


def test_restore_refuses_a_backup_of_a_newer_program(target: Path, valid_archive: Path, tmp_path: Path) -> None:
    def newer_code(manifest: dict[str, Any]) -> None:
        manifest["database"]["migrations"]["projects"] = "9999_aus_der_zukunft"

    message = refused_restore(with_manifest(valid_archive, tmp_path / "zukunft.tar", newer_code), target)
    assert "diese Migrationen kennt dieser Stand nicht: projects.9999_aus_der_zukunft" in message


def test_restore_refuses_an_archive_member_that_could_leave_media_root(
    target: Path, valid_archive: Path, tmp_path: Path
) -> None:
    contents = members(valid_archive)
    contents["media/../../ausserhalb.txt"] = b"nein"
    message = refused_restore(write_tar(tmp_path / "pfad.tar", contents), target)
    assert "Das Archiv enthält Einträge, die nicht dazugehören: „media/../../ausserhalb.txt“." in message


def test_valid_archive_holds_manifest_dump_and_files(valid_archive: Path) -> None:
    with tarfile.open(valid_archive) as tar:
        names = tar.getnames()
    assert names[-1] == MANIFEST_NAME
    assert set(names) == {
        MANIFEST_NAME,
        DUMP_NAMES[connection.vendor],
        "media/files/2024/einladung.pdf",
        "media/notiz.txt",
    }
