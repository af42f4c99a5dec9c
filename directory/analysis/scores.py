"""An area's score: how complete and how joined-up its pathway is, 0 to 100, from four shares.

Raw counts of findings punish an area for registering more (each new service can bring findings of its
own), so the national ranking uses this score instead. Each part is a share from 0 to 1 with its
numerator and denominator, so a page can say "5 of 7":

- stages covered: pathway stages with at least one active service, of the 7 stages;
- expected handoffs present: routes in vocab.EXPECTED_ROUTES with a confirmed pathway link from an area
  service at the first stage to a different service at the second (the route's service types only, when
  it names some; the far end may be outside the area), of all the routes;
- services in a forum: services with a confirmed membership link (member of, chairs) to an active forum,
  in the area or elsewhere, of the area's services;
- services not isolated: services with at least one confirmed link to anyone, in the area or elsewhere,
  of the area's services.

`score` is the mean of the four shares times 100, to one decimal. The first two parts have fixed
denominators, and a new service counts in the last two only when it is in a forum or linked; so a new
service that links to one of the area's services and joins a forum never lowers the score or any part
(tests/unit/test_area_score.py checks this on random areas). Read for the network's client group when it
has one (see Network.services).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import vocab
from ..vocab import Term, Vocabulary
from .core import STAGES, Network, prepare
from .candidates import forum_memberships
from .pathway import _at_far_end

SCORE_PARTS = Vocabulary("area score parts", [
    Term("stages", "Stages covered", "Pathway stages with at least one active service, of the 7 stages."),
    Term("routes", "Expected handoffs present",
         "Expected handoffs (such as assessment to emergency accommodation) with a confirmed referral link "
         "from a service at the first stage to one at the second, here or in another area, of all of them."),
    Term("forums", "Services in a forum",
         "The area's services that are confirmed members of an active forum, here or elsewhere."),
    Term("linked", "Services not isolated",
         "The area's services with at least one confirmed link to another service, forum or researcher."),
])


@dataclass(frozen=True)
class ScorePart:
    """One part of an area's score: `count` of `total` (a share from 0 to 1; 0 when total is 0)."""

    key: str
    count: int
    total: int

    @property
    def share(self) -> float:
        """count / total, or 0 when there is nothing to count."""
        return self.count / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        """The share as a whole percentage."""
        return round(100 * self.share)

    @property
    def label(self) -> str:
        """What the part measures, in a few words ("Stages covered")."""
        return SCORE_PARTS.label(self.key)

    @property
    def explanation(self) -> str:
        """One sentence saying what is counted."""
        return SCORE_PARTS[self.key].description

    @property
    def text(self) -> str:
        """"5 of 7"."""
        return f"{self.count} of {self.total}"

    def to_dict(self) -> dict:
        """A plain dict for JSON."""
        return {"key": self.key, "label": self.label, "count": self.count, "total": self.total,
                "share": self.share}


@dataclass(frozen=True)
class AreaScore:
    """An area's score (0 to 100, higher is better) and the four parts it is the mean of."""

    score: float
    stages: ScorePart
    routes: ScorePart
    forums: ScorePart
    linked: ScorePart

    @property
    def parts(self) -> tuple[ScorePart, ...]:
        """The four parts in SCORE_PARTS order."""
        return (self.stages, self.routes, self.forums, self.linked)

    def to_dict(self) -> dict:
        """A plain dict for JSON."""
        return {"score": self.score, "parts": [p.to_dict() for p in self.parts]}


def _route_present(net: Network, route: vocab.ExpectedRoute) -> bool:
    """True when a confirmed pathway link runs from an area service at the route's first stage to a
    different service at its far end (pathway.handoff_routes' "present", without its lists of names)."""
    return any(t != s and _at_far_end(net, route, net.actor(t))
               for s in net.at_stage[route.from_stage] for t in net.path_out[s])


def area_score(snapshot) -> AreaScore:
    """The area's score and its four parts (see the module's docstring)."""
    net = prepare(snapshot)
    services = net.services
    members = forum_memberships(net)  # actor -> the active forums it is a confirmed member of
    parts = (
        ScorePart("stages", sum(1 for k in STAGES if net.at_stage[k]), len(STAGES)),
        ScorePart("routes", sum(1 for r in vocab.EXPECTED_ROUTES if _route_present(net, r)),
                  len(vocab.EXPECTED_ROUTES)),
        ScorePart("forums", sum(1 for i in services if members.get(i)), len(services)),
        ScorePart("linked", sum(1 for i in services if net.whole_adj[i]), len(services)),
    )
    score = round(100 * sum(p.share for p in parts) / len(parts), 1)
    return AreaScore(score, *parts)
