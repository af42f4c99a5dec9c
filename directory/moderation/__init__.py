"""Moderation: approving new records and requests to manage records."""
