"""Peewee models, the connection and the migration runner."""
