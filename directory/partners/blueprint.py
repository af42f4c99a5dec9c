"""The "partners" blueprint object, shared by the route modules beside it."""
from flask import Blueprint

bp = Blueprint("partners", __name__)
