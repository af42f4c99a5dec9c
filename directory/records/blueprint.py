"""The records blueprint object, shared by its route modules."""
from flask import Blueprint

bp = Blueprint("records", __name__)
