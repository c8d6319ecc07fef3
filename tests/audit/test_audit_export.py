"""`manage.py export_audit`: the trail in signed daily files that are only appended to, and
`verify_audit --exports` checking them alone and against the database."""

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone

from customers.audit.models import AuditChain, AuditEntry
from tests.audit.test_audit_chain import MOBILE, remove, verify, write

pytestmark = pytest.mark.django_db


def write_at(monkeypatch: pytest.MonkeyPatch, *stamps: str) -> list[AuditEntry]:
    """One entry per ISO time in `stamps` (UTC), written through log_action."""
    entries = []
    real_now = timezone.now
    for stamp in stamps:
        moment = datetime.fromisoformat(stamp).replace(tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        entries += write()
    monkeypatch.setattr(timezone, "now", real_now)
    return entries


def export(directory: Path, *args: str) -> str:
    out = StringIO()
    call_command("export_audit", "--to", str(directory), *args, stdout=out, stderr=out)
    return out.getvalue()


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_writes_one_file_per_day_holding_that_days_entries(monkeypatch, tmp_path):
    """Each line is one entry: its number, both digests and every recorded fact, masked as in
    the database; no identifier in plain text."""
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-01T17:30:00", "2026-03-02T08:00:00")
    output = export(tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit-2026-03-01.jsonl",
        "audit-2026-03-02.jsonl",
    ]
    assert "2 entries appended to audit-2026-03-01.jsonl" in output
    first_day = lines(tmp_path / "audit-2026-03-01.jsonl")
    assert [line["sequence"] for line in first_day] == [1, 2]
    assert first_day[1]["previous_digest"] == first_day[0]["digest"]
    entry = first_day[0]["entry"]
    assert entry["created_at"] == "2026-03-01T09:00:00.000000+00:00"
    assert entry["identifiers"] == [{"name": "mobile", "value": "91******0001"}]
    assert entry["customer_id"] == "5000001"
    for path in tmp_path.iterdir():
        assert MOBILE not in path.read_text(encoding="utf-8")


def test_a_later_run_only_appends_what_is_new(monkeypatch, tmp_path):
    """Files are append-only: a second run leaves what is written as it was and adds the
    entries written since, to the day they belong to."""
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-02T08:00:00")
    export(tmp_path)
    before = (tmp_path / "audit-2026-03-02.jsonl").read_text(encoding="utf-8")
    write_at(monkeypatch, "2026-03-02T12:00:00", "2026-03-03T07:00:00")

    export(tmp_path)
    after = (tmp_path / "audit-2026-03-02.jsonl").read_text(encoding="utf-8")
    assert after.startswith(before)
    assert [line["sequence"] for line in lines(tmp_path / "audit-2026-03-02.jsonl")] == [2, 3]
    assert [line["sequence"] for line in lines(tmp_path / "audit-2026-03-03.jsonl")] == [4]
    assert "Nothing to export" in export(tmp_path)


def test_an_entry_stamped_before_midnight_after_one_stamped_after_it_stays_in_order(
    monkeypatch, tmp_path
):
    """With two instances' clocks slightly apart, the chain's order wins: no file gets an entry
    that belongs before the end of the previous one."""
    write_at(monkeypatch, "2026-03-01T23:59:59", "2026-03-02T00:00:01", "2026-03-01T23:59:58")
    export(tmp_path)
    assert [line["sequence"] for line in lines(tmp_path / "audit-2026-03-02.jsonl")] == [2, 3]
    assert "intact" in verify("--exports", str(tmp_path))


def test_since_sets_where_an_empty_directory_starts(monkeypatch, tmp_path):
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-02T08:00:00", "2026-03-03T08:00:00")
    export(tmp_path, "--since", "2026-03-02")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit-2026-03-02.jsonl",
        "audit-2026-03-03.jsonl",
    ]
    # The exports start at entry 2: its stored link is their anchor.
    assert "Exports in" in verify("--exports", str(tmp_path), "--exports-only")


def test_verify_audit_checks_the_exports_and_the_database_against_them(monkeypatch, tmp_path):
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-02T08:00:00")
    write(2)
    export(tmp_path)
    output = verify("--exports", str(tmp_path))
    assert "intact: entries 1 to 4 (4 in all)" in output
    assert "The database holds the 4 exported entries it still should, unchanged." in output


def test_an_edited_export_line_is_named(monkeypatch, tmp_path):
    """Each line is signed with the key: changing a fact in a file breaks that entry."""
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-01T10:00:00", "2026-03-01T11:00:00")
    export(tmp_path)
    path = tmp_path / "audit-2026-03-01.jsonl"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[1] = text[1].replace('"outcome":"found"', '"outcome":"not_found"')
    path.write_text("".join(text), encoding="utf-8")

    with pytest.raises(CommandError, match=r"exports in .* are broken at entry 2: entry 2 "):
        verify("--exports", str(tmp_path), "--exports-only")


def test_a_line_removed_from_an_export_is_named(monkeypatch, tmp_path):
    write_at(monkeypatch, "2026-03-01T09:00:00", "2026-03-01T10:00:00", "2026-03-01T11:00:00")
    export(tmp_path)
    path = tmp_path / "audit-2026-03-01.jsonl"
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(text[0] + text[2], encoding="utf-8")
    with pytest.raises(CommandError, match="at entry 2: entry 2 is missing between entry 1"):
        verify("--exports", str(tmp_path), "--exports-only")


def test_a_cut_off_export_is_reported_and_not_appended_to(monkeypatch, tmp_path):
    write_at(monkeypatch, "2026-03-01T09:00:00")
    export(tmp_path)
    path = tmp_path / "audit-2026-03-01.jsonl"
    path.write_text(path.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    with pytest.raises(CommandError, match="line 1 is cut off"):
        verify("--exports", str(tmp_path))
    with pytest.raises(CommandError, match="damaged export"):
        export(tmp_path)


def test_entries_removed_from_the_end_of_the_database_are_named_by_the_exports(
    monkeypatch, tmp_path
):
    """Someone with database access who removes the newest entries and winds the chain's head
    back leaves an intact-looking chain; the exports still show what went."""
    entries = write(5)
    export(tmp_path)
    remove(entries[3], entries[4])
    models.QuerySet.update(
        AuditChain.objects.all(), sequence=entries[2].sequence, digest=entries[2].digest
    )
    assert "intact" in verify()

    with pytest.raises(
        CommandError,
        match="broken at entry 4: entries 4 to 5 are exported but missing from the end",
    ):
        verify("--exports", str(tmp_path))


def rewrite_history(count: int, **kwargs: object) -> None:
    """The whole trail replaced by other entries, signed with the key: what only a holder of
    AUDIT_SIGNING_KEY with database access could do."""
    models.QuerySet.delete(AuditEntry.objects.all())
    AuditChain.objects.all().delete()
    write(count, **kwargs)


def test_an_entry_that_differs_from_its_export_is_named(tmp_path):
    """A trail rewritten and signed again with the key passes the chain; the exports still
    show which entry differs."""
    write(3)
    export(tmp_path)
    rewrite_history(3, customer_id="5000002")
    assert "intact" in verify()
    with pytest.raises(CommandError, match="broken at entry 1: entry 1 differs from its export"):
        verify("--exports", str(tmp_path))


def test_exporting_refuses_when_the_database_no_longer_follows_the_files(tmp_path):
    """Appending a rewritten trail would mix two trails in the files: refused."""
    write(2)
    export(tmp_path)
    rewrite_history(3)
    with pytest.raises(CommandError, match="entry 3 does not follow the last exported entry 2"):
        export(tmp_path)


def test_entries_pruned_before_they_were_exported_leave_a_reported_gap(monkeypatch, tmp_path):
    write_at(monkeypatch, "2026-03-01T09:00:00")
    export(tmp_path)
    write_at(monkeypatch, "2026-03-02T09:00:00", "2026-03-03T09:00:00")
    AuditEntry.objects.prune(datetime(2026, 3, 3, tzinfo=UTC))

    assert "entry 2 is pruned without being exported" in export(tmp_path)
    with pytest.raises(CommandError, match="entry 2 is missing between entry 1"):
        verify("--exports", str(tmp_path), "--exports-only")
