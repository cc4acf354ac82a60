"""The lab: real certificates and real loopback servers for the broken setups of the field.

Used by the test suite and by `tlsdoctor demo` alike: one implementation, two users.
Everything listens on 127.0.0.0/8 (or ::1) and stops cleanly.
"""
