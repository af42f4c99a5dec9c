"""The "manage" blueprint object, shared by the route modules beside it."""
from flask import Blueprint

bp = Blueprint("manage", __name__)
