"""Path converters for the site's URLs.

``<id:pk>`` matches a database id: a whole number from 1 to 2**63 - 1, the range of the
64-bit primary keys every model uses. Anything outside it (``/sessions/0/``,
``/sessions/9223372036854775808/``) is no match, so the visitor gets the ordinary 404
instead of the database refusing a number it cannot store.
"""

MAX_ID = 2**63 - 1


class IdConverter:
    # 19 digits bound the work; to_python checks the exact range.
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")  # the resolver moves on: a 404
        return number

    def to_url(self, value) -> str:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"{value} is not a database id")  # reverse() says NoReverseMatch
        return str(number)
