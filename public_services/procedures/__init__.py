"""The procedure registry: one module per procedure in this package, each declaring a
`Procedure` subclass with `@register`. Every module here is imported on first use, so adding a
procedure is adding a module (and its PDF template): nothing else changes."""

from . import registry  # noqa: F401
