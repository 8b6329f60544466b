"""The `<id:…>` URL parameter: an object's id, a number a database key can hold.

Django's `<int:…>` takes any run of digits, and a view then queries with it: SQLite refuses a
number beyond 64 bits with OverflowError (a 500) wherever the lookup is not a primary key's own,
which Django checks against the field's range (a foreign key's `child_id=…` is not). No object has
such an id, so such a URL names nothing: the resolver answers 404 before any view runs.
"""

from django.urls.converters import IntConverter

# The largest signed 64-bit integer: SQLite's INTEGER, and PostgreSQL's bigint behind BigAutoField.
MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError("no database key is this large")  # the URL does not match: a 404
        return number
