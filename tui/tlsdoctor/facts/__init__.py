"""The bottom layer: plain facts, as frozen dataclasses, with no I/O.

What probes return (a handshake, a DNS answer, an AIA fetch, trust anchors,
client material) and what the walk emits (step results and events) live here,
so `analysis/` never imports a probe and no probe imports analysis. Nothing in
this package opens a socket, reads a file or imports a face (textual, rich).
"""
