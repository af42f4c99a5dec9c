"""Database models; import from here."""
from .actor import Actor, ActorFacet, ActorWord, actor_areas
from .area import Area
from .barrier import BarrierReport
from .changelog import ChangeLog, record_change
from .collaboration import Collaboration, LinkRuleError
from .dataversion import DataVersion
from .signin import SignIn, UsedLink
from .user import ClaimRequest, ManagerInvitation, Management, Notification, User

__all__ = [
    "Actor", "ActorFacet", "ActorWord", "actor_areas", "Area", "BarrierReport", "ChangeLog", "record_change",
    "Collaboration", "LinkRuleError", "DataVersion", "ClaimRequest", "ManagerInvitation", "Management",
    "Notification", "SignIn", "UsedLink", "User",
]
