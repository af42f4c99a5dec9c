"""The map, the network view and their data endpoints."""
