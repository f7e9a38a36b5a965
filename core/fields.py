"""Form fields shared by the apps."""

from django import forms
from django.db import connections, models


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a number no row can have before it reaches the database.

    Django checks the range of a single id (``pk=``), not of a list (``pk__in=``): SQLite
    cannot even bind an integer past 64 bits and raised OverflowError. Such an id gets the
    field's ordinary "not a valid value" message instead.
    """

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField):
            low, high = connections[self.queryset.db].ops.integer_field_range(
                key.get_internal_type()
            )
            for pk in value:
                try:
                    number = int(pk)
                except (ValueError, TypeError):
                    continue  # Django's own check words this one
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
