"""Pictures drawn on the server as inline SVG: plain functions from a snapshot to positions and paths, which a
template draws. No Flask, no database."""
from .pathway import GEOMETRY, PathwayDiagram, layout_pathway, summary

__all__ = ["GEOMETRY", "PathwayDiagram", "layout_pathway", "summary"]
