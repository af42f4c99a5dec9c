"""The migrated database accepts every key of each vocabulary it checks, and refuses others.

Alembic's autogenerate does not compare CHECK constraints, so a key added to a vocabulary without a
migration would pass every model-level test and fail only on a real database: these tests write rows
past the model's validators, straight into the tables the migrations made.
"""
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from directory import vocab
from directory.extensions import db
from directory.models import Actor, ActorFacet, BarrierReport, Collaboration
from directory.models.actor import FACETS


def _actor_row(area_id: int, name: str, **values) -> int:
    row = {"kind": "service", "name": name, "status": "active", "area_id": area_id, "search_text": "",
           "pie_profile": {}, **values}
    return db.session.execute(insert(Actor).values(**row).returning(Actor.id)).scalar_one()


def test_every_link_kind_and_status_is_accepted(make):
    area = make.area()
    source, target = (_actor_row(area.id, name) for name in ("One", "Two"))
    for key in vocab.LINK_KINDS.keys():
        db.session.execute(insert(Collaboration).values(kind=key, source_id=source, target_id=target,
                                                        status="proposed", note=""))
    for key in vocab.LINK_STATUSES.keys():  # each from its own actor: two live links of a kind may not share ends
        db.session.execute(insert(Collaboration).values(kind="refers_to", source_id=_actor_row(area.id, key),
                                                        target_id=source, status=key, note=""))
    db.session.commit()
    kinds = set(db.session.scalars(select(Collaboration.kind).where(Collaboration.source_id == source)))
    statuses = set(db.session.scalars(select(Collaboration.status).where(Collaboration.target_id == source)))
    assert kinds == set(vocab.LINK_KINDS.keys())
    assert statuses == set(vocab.LINK_STATUSES.keys())


def test_every_actor_kind_status_and_archiving_role_is_accepted(make):
    area = make.area()
    for n, key in enumerate(vocab.ACTOR_KINDS.keys()):
        _actor_row(area.id, f"kind {n}", kind=key)
    for n, key in enumerate(vocab.ACTOR_STATUSES.keys()):
        _actor_row(area.id, f"status {n}", status=key)
    for n, key in enumerate(vocab.ARCHIVED_AS.keys()):
        _actor_row(area.id, f"archived {n}", status="archived", archived_as=key)
    db.session.commit()
    assert set(db.session.scalars(select(Actor.kind))) == set(vocab.ACTOR_KINDS.keys())
    assert set(db.session.scalars(select(Actor.status))) == set(vocab.ACTOR_STATUSES.keys())
    assert set(db.session.scalars(select(Actor.archived_as).where(Actor.archived_as.is_not(None)))) \
        == set(vocab.ARCHIVED_AS.keys())


def test_every_facet_and_barrier_category_and_visibility_is_accepted(make):
    area = make.area()
    actor = _actor_row(area.id, "Facets")
    for facet, terms in FACETS.items():
        db.session.execute(insert(ActorFacet).values(actor_id=actor, facet=facet, value=terms.keys()[0]))
    for key in vocab.BARRIER_CATEGORIES.keys():
        db.session.execute(insert(BarrierReport).values(actor_id=actor, category=key, visibility="public",
                                                        description=""))
    for key in vocab.BARRIER_VISIBILITIES.keys():
        db.session.execute(insert(BarrierReport).values(actor_id=actor, category="other", visibility=key,
                                                        description=""))
    db.session.commit()
    assert set(db.session.scalars(select(ActorFacet.facet))) == set(FACETS)
    assert set(db.session.scalars(select(BarrierReport.category))) == set(vocab.BARRIER_CATEGORIES.keys())
    assert set(db.session.scalars(select(BarrierReport.visibility))) == set(vocab.BARRIER_VISIBILITIES.keys())


@pytest.mark.parametrize("values", [
    {"kind": "not_a_kind", "status": "proposed"},
    {"kind": "refers_to", "status": "not_a_status"},
])
def test_a_link_key_outside_the_vocabulary_is_refused(make, values):
    area = make.area()
    source, target = (_actor_row(area.id, name) for name in ("One", "Two"))
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Collaboration).values(source_id=source, target_id=target, note="", **values))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Collaboration.id))) == 0
