"""Orchestration: Prefect flows whose tasks each wrap one library call (flows/steps.py)."""
