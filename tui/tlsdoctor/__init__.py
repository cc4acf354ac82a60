"""tlsdoctor: find out why a TLS certificate does not match the name, and what to do about it."""

__version__ = "0.1.0"
