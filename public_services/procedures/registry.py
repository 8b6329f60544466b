"""Lookup of the declared procedures by code or URL slug."""

import importlib
import pkgutil

from .base import upload_fields

_PROCEDURES: dict = {}
_loaded = False
_SKIP = {"registry", "base", "fields"}


def register(cls):
    """Class decorator: declare a procedure (codes and slugs must be unique)."""
    procedure = cls()
    for other in _PROCEDURES.values():
        if other.slug == procedure.slug and other.code != procedure.code:
            raise ValueError(f"procedure slug {procedure.slug!r} is used twice")
    if procedure.reauthenticate and upload_fields(procedure.form_class):
        # allauth's reauthentication replays the post without its files.
        raise ValueError(f"procedure {procedure.code!r} asks for the password again before submitting, "
                         "which its file fields cannot go through")
    _PROCEDURES[procedure.code] = procedure
    return cls


def _load() -> None:
    global _loaded
    if _loaded:
        return
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name not in _SKIP and not module.name.startswith("_"):
            importlib.import_module(f"{__package__}.{module.name}")
    _loaded = True


def all_procedures() -> list:
    _load()
    return sorted(_PROCEDURES.values(), key=lambda procedure: procedure.order)


def get(code: str):
    """The procedure with this code; KeyError for an unknown code."""
    _load()
    return _PROCEDURES[code]


def by_slug(slug: str):
    _load()
    return next((procedure for procedure in _PROCEDURES.values() if procedure.slug == slug), None)
