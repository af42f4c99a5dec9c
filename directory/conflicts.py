"""Edit forms that know when the record changed under them (optimistic concurrency).

A form carries, in hidden fields, the version of the record it was opened at and the newest change-log
entry of the record at that moment. A save from a form opened at an older version saves nothing: the
person sees which answers changed meanwhile, by whom and when, with their own answers kept in the form,
and the form now carries the current version, so saving again saves. The version check itself is in
the database UPDATE (models/_common.py: Versioned), so a save racing another one is refused too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from collections.abc import Callable

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField

from .extensions import db
from .fields import in_words
from .models import ChangeLog

HIDDEN = ("csrf_token", "version", "last_change")
LONGEST = 300  # characters of an answer shown in the list of changes (a boundary can be very long)


class PostedOnly(HiddenField):
    """A hidden value taken only from what the browser sent, never filled in from the record (obj=, data=),
    so a form posted without it counts as opened at no known version."""

    def process_data(self, value) -> None:
        """Ignore the record's value."""
        self.data = None


class VersionedForm(FlaskForm):
    """A form that carries the version of the record it was opened at."""

    version = PostedOnly()
    last_change = PostedOnly()


@dataclass
class ChangedAnswer:
    """One answer changed since the form was opened: what is saved now, and what the person's form holds."""

    field_id: str
    label: str
    saved: str
    yours: str
    entry: ChangeLog | None  # the newest change-log entry that changed it, if the log says

    @property
    def same(self) -> bool:
        """True when the person's form already holds the answer saved now."""
        return self.saved == self.yours


@dataclass
class Conflict:
    """What changed in a record since a form was opened."""

    answers: list[ChangedAnswer] = field(default_factory=list)
    other: list[ChangeLog] = field(default_factory=list)  # changes to no answer of the form (archived, ...)
    entries: list[ChangeLog] = field(default_factory=list)  # every change-log entry since, oldest first

    @property
    def people(self) -> list:
        """Who made the changes (users, or None for changes without one), each once, in order."""
        return list(dict.fromkeys(e.user for e in self.entries))

    @property
    def last_at(self) -> datetime | None:
        """When the newest change was made, if the log says."""
        return self.entries[-1].at if self.entries else None


def submit(form: VersionedForm, record, save: Callable[[], object],
           saved_form: Callable[[], FlaskForm]) -> Conflict | None:
    """Run save() (which commits) if the form was opened at the record's current version; otherwise, or when
    another save went in between reading the record and writing it, roll back and say what changed.

    saved_form() builds the same form filled from the record as it is now.
    """
    if is_current(form, record):
        try:
            save()
            return None
        except StaleDataError:
            db.session.rollback()
    return conflict(form, saved_form(), record)


def carry_version(form: VersionedForm, record, found: Conflict | None) -> None:
    """Which version the form's next save is checked against: the current one when the form is shown afresh
    or after a conflict was shown; after refused answers (errors), still the one it was opened at."""
    if found is not None or request.method == "GET":
        stamp(form, record)


def status(form: FlaskForm, found: Conflict | None) -> int:
    """The HTTP status of a form page: 409 after a conflict, 400 with errors, else 200."""
    return 409 if found is not None else 400 if form.errors else 200


def stamp(form: VersionedForm, record) -> None:
    """Put the record's current version (and newest change-log entry) into the form's hidden fields."""
    form.version.data = str(record.version)
    form.last_change.data = str(_newest_entry_id(record))


def is_current(form: VersionedForm, record) -> bool:
    """True when the form was opened at the record's current version (a form without one is not)."""
    return (form.version.data or "").strip() == str(record.version)


def conflict(form: VersionedForm, saved: FlaskForm, record) -> Conflict:
    """What changed since the form was opened: each changed answer as saved now beside the person's own.

    `saved` is the same form filled from the record as it is now. Which answers changed comes from the
    change log since the form was opened; when the log says nothing, every answer that differs is shown.
    """
    entries = _entries_since(record, form.last_change.data)
    newest: dict[str, ChangeLog] = {}
    other = []
    for entry in entries:
        names = [name for name in (entry.changes or {}) if name in form and name not in HIDDEN]
        newest.update(dict.fromkeys(names, entry))
        if not names:
            other.append(entry)
    answers = []
    for name, f in form._fields.items():
        if name in HIDDEN:
            continue
        mine, now = _short(in_words(f)), _short(in_words(saved[name]))
        if name in newest or (not entries and mine != now):
            answers.append(ChangedAnswer(f.id, str(f.label.text), now, mine, newest.get(name)))
    return Conflict(answers, other, entries)


def _short(text: str) -> str:
    return text if len(text) <= LONGEST else text[:LONGEST - 1].rstrip() + "…"


def _subject(record) -> tuple[str, int]:
    """How the change log names a record (as record_change does)."""
    return type(record).__name__.lower(), record.id


def _newest_entry_id(record) -> int:
    object_type, object_id = _subject(record)
    return db.session.scalar(select(func.max(ChangeLog.id)).where(
        ChangeLog.object_type == object_type, ChangeLog.object_id == object_id)) or 0


def _entries_since(record, last_change: str | None) -> list[ChangeLog]:
    """The record's change-log entries after the one the form saw, oldest first (none when the form does not say)."""
    try:
        seen = int(last_change or "")
    except ValueError:
        return []
    object_type, object_id = _subject(record)
    return list(db.session.scalars(select(ChangeLog).where(
        ChangeLog.object_type == object_type, ChangeLog.object_id == object_id, ChangeLog.id > seen)
        .order_by(ChangeLog.id).limit(50)))
