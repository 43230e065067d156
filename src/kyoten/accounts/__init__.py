"""Accounts and roles: program office, committee member, center office, public."""
