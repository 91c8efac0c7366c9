"""Digests: pure rendering (render.py) and the channels that carry them (file, email, Slack)."""
