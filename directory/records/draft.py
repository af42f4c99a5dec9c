"""A registration in progress, kept in the signed session cookie until the final submit."""
from __future__ import annotations

import secrets

from flask import current_app, session

STEPS = ("about", "details", "location")
_KEY = "register_draft_{kind}"
# Browsers drop cookies over 4096 bytes, which would sign the person out: stay well under.
MAX_COOKIE_BYTES = 3800


class DraftTooLarge(Exception):
    """The answers no longer fit in the session cookie."""


def load(kind: str) -> dict:
    """The draft for a kind of record: {"answers": {...}, "done": [steps], "dismissed": [ids], "key": str}.

    The key is made when the draft is first kept and is stored on the record it creates, so pressing
    Register twice (both presses carry the same draft) creates one record.
    """
    draft = session.get(_KEY.format(kind=kind)) or {}
    return {
        "answers": dict(draft.get("answers") or {}),
        "done": list(draft.get("done") or []),
        "dismissed": list(draft.get("dismissed") or []),
        "key": draft.get("key") or secrets.token_urlsafe(16),
    }


def save(kind: str, draft: dict) -> None:
    """Keep the draft; raise DraftTooLarge (keeping the old one) when it would not fit."""
    key = _KEY.format(kind=kind)
    previous = session.get(key)
    session[key] = draft
    if _cookie_size() > MAX_COOKIE_BYTES:
        if previous is None:
            session.pop(key, None)
        else:
            session[key] = previous
        raise DraftTooLarge
    session.modified = True


def clear(kind: str) -> None:
    """Forget the draft."""
    session.pop(_KEY.format(kind=kind), None)


def record_step(kind: str, step: str, answers: dict) -> dict:
    """Merge one step's answers into the draft, mark the step done, and keep it."""
    draft = load(kind)
    draft["answers"].update(answers)
    if step not in draft["done"]:
        draft["done"].append(step)
    save(kind, draft)
    return draft


def next_step(draft: dict) -> str | None:
    """The first step not yet answered, or None when all are."""
    return next((s for s in STEPS if s not in draft["done"]), None)


def _cookie_size() -> int:
    app = current_app
    serializer = app.session_interface.get_signing_serializer(app)
    return len(serializer.dumps(dict(session))) if serializer else 0
