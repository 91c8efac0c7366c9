"""Pure parsing and extraction: bytes/str in, frozen dataclasses out.

Nothing in this package touches the network, the clock or the database.
"""
