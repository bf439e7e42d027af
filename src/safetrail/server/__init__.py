"""The caseworker server: many cases, many users, PostgreSQL, roles, consent and audit.

It receives what a person chose to share from their own casebook (an encrypted share package),
keeps it for the caseworkers assigned to the case, and passes on to police only what the person's
current consent allows. Everything a user does to a case is written to a hash-chained audit log.
"""
