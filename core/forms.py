"""What every form that stores text does with it: a length limit, and no invisible characters."""

from django import forms
from django.core.validators import MaxLengthValidator

from core.validators import validate_multi_line, validate_single_line


class PlainTextMixin:
    """Put first in a form's bases: its text fields refuse control characters.

    A textarea is multi-line text, any other text input one line (see core.validators).
    ``text_limits`` caps fields the model leaves unbounded ({"why": 1000}); the limit is
    checked here and set as the input's ``maxlength``, so the browser shows it as well.
    Passwords are left alone: they are checked, never stored as typed.
    """

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in self.text_limits.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue
            multi_line = isinstance(field.widget, forms.Textarea)
            field.validators.append(validate_multi_line if multi_line else validate_single_line)
