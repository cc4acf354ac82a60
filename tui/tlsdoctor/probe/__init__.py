"""Probes: talk to the world (DNS, files, TLS, HTTP) and return plain data.

Async, a timeout on every wait, faults returned as data (never raised).
Nothing here interprets what it sees, and nothing here imports textual.
"""
