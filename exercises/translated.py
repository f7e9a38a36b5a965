"""Library text in the reader's language: the English columns as written, Spanish beside them.

The shipped library is written in English (``name``, ``cues``, …) and in Spanish (``name_es``,
``cues_es``, …), both loaded by ``load_library`` from ``exercises/data/``. Reading
``exercise.name`` gives the active language's text: the Spanish column when Spanish is active
and that column is not empty, the English one otherwise (never an empty string where English
has text). So every page, form label, message and export that names an exercise reads in the
reader's language without knowing about it, and a coach's own exercise, whose Spanish columns
stay empty, reads as the coach wrote it.

Only reading is translated. Writing ``exercise.name = …`` writes the English column, and
everything that stores or edits (``save()``, forms and the admin through
``value_from_object``, ``full_clean()``, ``refresh_from_db()``) works on the written columns:
editing a shipped exercise with the admin in Spanish never copies the Spanish over the English.

Both columns are read in the same row, so no page runs a query more; ``only("name")`` on these
models brings ``name_es`` along (``TranslatedQuerySet``).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce, NullIf
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import get_language

_written_only = ContextVar("written_only", default=False)


def translation_of(attname: str) -> str:
    return f"{attname}_es"


def spanish_active() -> bool:
    language = get_language()
    return bool(language) and language.split("-")[0] == "es"


@contextmanager
def written_texts():
    """Read the columns as written (English) inside the block, whatever the language."""
    token = _written_only.set(True)
    try:
        yield
    finally:
        _written_only.reset(token)


class TranslatedAttribute(DeferredAttribute):
    """The field's attribute: the translation when there is one for the active language.

    A data descriptor (it has ``__set__``), so it is asked on every read even once the value
    sits in the instance's ``__dict__``, where Django keeps it under the same name.
    """

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        written = super().__get__(instance, cls)
        if spanish_active() and not _written_only.get():
            name = translation_of(self.field.attname)
            # Read directly: a deferred translation is loaded by Django (one query), which a
            # query-count test then shows; ``TranslatedQuerySet.only`` never defers it.
            spanish = (
                instance.__dict__[name] if name in instance.__dict__ else getattr(instance, name)
            )
            if spanish:
                return spanish
        return written

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value

    def written(self, instance):
        return super().__get__(instance)


class TranslatedMixin:
    """A text field whose readers get the active language (see the module's docstring)."""

    descriptor_class = TranslatedAttribute

    def value_from_object(self, obj):
        # Forms, the admin and serializers edit and export what is written.
        return getattr(type(obj), self.attname).written(obj)

    def pre_save(self, model_instance, add):
        return self.value_from_object(model_instance)

    def deconstruct(self):
        # The columns are plain text columns: migrations see the plain field.
        name, _path, args, kwargs = super().deconstruct()
        base = next(c for c in type(self).__mro__ if c.__module__ == "django.db.models.fields")
        return name, f"django.db.models.{base.__name__}", args, kwargs


class TranslatedCharField(TranslatedMixin, models.CharField):
    pass


class TranslatedTextField(TranslatedMixin, models.TextField):
    pass


class TranslatedModel(models.Model):
    """Validation and reloading work on the written columns, whatever the language."""

    class Meta:
        abstract = True

    def full_clean(self, *args, **kwargs):
        with written_texts():  # fields, constraints and clean() check what is stored
            super().full_clean(*args, **kwargs)

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        with written_texts():
            super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    @classmethod
    def translated_fields(cls) -> list[str]:
        return [f.attname for f in cls._meta.concrete_fields if isinstance(f, TranslatedMixin)]


class TranslatedQuerySet(models.QuerySet):
    def only(self, *fields):
        """Asking for a translated field (``"name"``, ``"ladder__name"``) brings its
        translation along in the same row."""
        return super().only(*fields, *translations_among(self.model, fields))


def translations_among(model, paths) -> list[str]:
    extra = []
    for path in paths:
        *hops, name = path.split(LOOKUP_SEP)
        target = model
        try:
            for hop in hops:
                target = target._meta.get_field(hop).related_model
        except (FieldDoesNotExist, AttributeError):
            continue  # Django's only() says what is wrong with the path
        translated = isinstance(target, type) and issubclass(target, TranslatedModel)
        if translated and name in target.translated_fields():
            extra.append(translation_of(path))
    return extra


def in_active_language(path: str):
    """An expression for ``values()``: the text at ``path`` (``"exercise__name"``) in the
    active language, English where the translation is empty."""
    if not spanish_active():
        return models.F(path)
    return Coalesce(
        NullIf(models.F(translation_of(path)), models.Value("")),
        models.F(path),
        output_field=models.TextField(),
    )
