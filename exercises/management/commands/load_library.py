"""Load the shipped exercise library from exercises/data/library.toml, with its Spanish
from exercises/data/library.es.toml.

Idempotent: rows are matched by slug, only changed rows are written, and running it twice
leaves the database as it was; a changed text, in either language, is written again. Videos
attached by staff in the admin are never touched.

The Spanish file is keyed by slug (``[equipment.<slug>]``, ``[ladders.<slug>]``,
``[exercises.<slug>]``) with the same keys as the English; a text it leaves out is stored
empty, and readers in Spanish then get the English (exercises/translated.py).
"""

import tomllib
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from exercises.models import Equipment, Exercise, Ladder
from exercises.translated import written_texts

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "library.toml"
SPANISH_FILE = DATA_FILE.with_name("library.es.toml")


def read_toml(path):
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc


def spanish(texts, *keys):
    """The ``_es`` columns of one row from its Spanish entry (lists become lines)."""
    values = {}
    for key in keys:
        value = texts.get(key, "")
        values[f"{key}_es"] = "\n".join(value) if isinstance(value, list) else value.strip()
    return values


def update_row(model, slug, values):
    """Create or update one row by slug; return (obj, changed)."""
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        obj = model(slug=slug, **values)
        obj.full_clean(exclude=["video_url", "video_file"] if model is Exercise else None)
        obj.save()
        return obj, True
    changed = False
    for field, value in values.items():
        with written_texts():  # the English column, whatever language is active
            current = getattr(obj, field)
        if current != value:
            setattr(obj, field, value)
            changed = True
    if changed:
        obj.full_clean(exclude=["video_url", "video_file"] if model is Exercise else None)
        obj.save()
    return obj, changed


def set_m2m(manager, wanted):
    if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
        manager.set(wanted)
        return True
    return False


class Command(BaseCommand):
    help = "Load or update the shipped exercise library (safe to run repeatedly)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE)
        parser.add_argument("--spanish", type=Path, default=SPANISH_FILE)

    @transaction.atomic
    def handle(self, *args, **options):
        data = read_toml(options["file"])
        self.spanish = read_toml(options["spanish"])

        changes = 0
        equipment = {}
        for order, item in enumerate(data["equipment"], start=1):
            obj, changed = update_row(
                Equipment,
                item["slug"],
                {
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "order": order,
                    **spanish(self.texts("equipment", item), "name", "description"),
                },
            )
            equipment[obj.slug] = obj
            changes += changed
        for item in data["equipment"]:
            subs = [equipment[s] for s in item.get("substitutes", [])]
            changes += set_m2m(equipment[item["slug"]].substitutes, subs)

        for ladder_order, item in enumerate(data["ladders"], start=1):
            ladder, changed = update_row(
                Ladder,
                item["slug"],
                {
                    "name": item["name"],
                    "area": item["area"],
                    "regions": list(item.get("regions", [])),
                    "rep_min": item["rep_min"],
                    "rep_max": item["rep_max"],
                    "rep_unit": item.get("rep_unit", "reps"),
                    "minutes_per_set": Decimal(str(item["minutes_per_set"])),
                    "keep_priority": item["keep_priority"],
                    "start_level": item.get("start_level", 1),
                    "why": item["why"].strip(),
                    "order": item.get("order", ladder_order),
                    **spanish(self.texts("ladders", item), "name", "why"),
                },
            )
            changes += changed
            changes += self.load_levels(ladder, item["levels"], equipment)

        verb = "updated" if changes else "unchanged"
        self.stdout.write(
            f"Library {verb}: {Ladder.objects.count()} ladders, "
            f"{Exercise.objects.count()} exercises, {changes} changes."
        )

    def texts(self, kind, item):
        return self.spanish.get(kind, {}).get(item["slug"], {})

    def load_levels(self, ladder, levels, equipment):
        changes = 0
        slugs = [level["slug"] for level in levels]
        wanted_levels = {slug: n for n, slug in enumerate(slugs, start=1)}
        existing = list(Exercise.objects.filter(Q(slug__in=slugs) | Q(ladder=ladder)))
        # Levels are unique per ladder: if any level moved, park the rows out of the way
        # first. The shipped ladders belong to the data file, so a level dropped from it goes.
        if any(wanted_levels.get(e.slug) != e.level or e.ladder_id != ladder.pk for e in existing):
            for ex in existing:
                if ex.slug not in wanted_levels:
                    ex.delete()
                    changes += 1
                else:
                    Exercise.objects.filter(pk=ex.pk).update(level=900 + wanted_levels[ex.slug])
        for n, item in enumerate(levels, start=1):
            obj, changed = update_row(
                Exercise,
                item["slug"],
                {
                    "ladder": ladder,
                    "level": n,
                    "name": item["name"],
                    "summary": item.get("summary", ""),
                    "fallback": item.get("fallback", ""),
                    "loadable": item.get("loadable", False),
                    "counted_in_breaths": item.get("counted_in_breaths", False),
                    "cues": "\n".join(item["cues"]),
                    "mistakes": "\n".join(item.get("mistakes", [])),
                    "muscles": "\n".join(item.get("muscles", [])),
                    "caution": item.get("caution", ""),
                    **spanish(
                        self.texts("exercises", item),
                        *("name", "summary", "fallback", "cues", "mistakes", "muscles", "caution"),
                    ),
                },
            )
            changes += changed
            changes += set_m2m(obj.equipment, [equipment[s] for s in item.get("equipment", [])])
        return changes
