"""Any change to library content bumps the revision that keys the page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from exercises.models import Equipment, Exercise, Ladder, LibraryRevision


@receiver(post_save, sender=Equipment)
@receiver(post_save, sender=Ladder)
@receiver(post_save, sender=Exercise)
@receiver(post_delete, sender=Equipment)
@receiver(post_delete, sender=Ladder)
@receiver(post_delete, sender=Exercise)
@receiver(m2m_changed, sender=Exercise.equipment.through)
@receiver(m2m_changed, sender=Equipment.substitutes.through)
def library_changed(sender, **kwargs):
    if kwargs.get("raw"):
        return
    LibraryRevision.bump()
