"""Managers saving the same record at the same moment, through the real edit form of a served app."""
from __future__ import annotations

from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Actor, ActorWord, ChangeLog
from directory.models.actor import search_words
from tests.helpers import form_values, service_answers
from tests.http_clients import Browser, at_once


def test_managers_saving_the_same_record_at_once_never_get_a_500(live_server, make):
    """Each round, six managers open the form, then all press Save at the same moment with new names that
    share words. Before the fix some were 500s (UNIQUE constraint failed: actor_word / UniqueViolation
    pk_actor_word) and several were told "saved", each overwriting the others."""
    area = make.area()
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    people = [make.user(f"editor{i}@example.org", manages=[service]) for i in range(6)]
    browsers = []
    for person in people:
        browser = Browser(live_server)
        browser.login(person.email)
        browsers.append(browser)
    path = f"/actors/{service.id}/edit"
    rounds = []
    for round_ in range(4):
        db.session.expire_all()
        current = db.session.get(Actor, service.id)
        posts = []
        for i, browser in enumerate(browsers):
            form = browser.get(path)
            assert form.status_code == 200
            body = {**form_values(form.text),
                    **service_answers(current, name=f"Shared round{round_} words editor{i}")}
            posts.append(lambda b=browser, body=body: b.post(path, body))
        answers = at_once(posts)
        db.session.expire_all()
        rounds.append((answers, db.session.get(Actor, service.id).name))
    errors = [(a.status_code, a.text[-300:]) for answers, _ in rounds for a in answers if a.status_code >= 500]
    assert errors == []
    for round_, (answers, name) in enumerate(rounds):
        codes = [a.status_code for a in answers]
        saved = [i for i, a in enumerate(answers) if a.status_code == 302]
        # Every form was opened at the same version: one save wins, each other person is told.
        assert len(saved) == 1, codes
        assert name == f"Shared round{round_} words editor{saved[0]}"
        for i, answer in enumerate(answers):
            if i not in saved:
                assert answer.status_code == 409 and "changed this record" in answer.text, codes
    db.session.expire_all()
    actor = db.session.get(Actor, service.id)
    words = set(db.session.scalars(select(ActorWord.word).where(ActorWord.actor_id == actor.id)))
    assert words == set(search_words(actor.search_text))
    edits = db.session.scalar(select(func.count()).select_from(ChangeLog).where(
        ChangeLog.object_id == service.id, ChangeLog.object_type == "actor", ChangeLog.action == "edited"))
    assert edits == 4
