"""Delete prepared data exports past their expiry (README, "Background jobs").

Each ready export also has a job that deletes it when it expires; this sweeps any left
behind (a worker that was down, job rows pruned), e.g. daily from cron.
"""

from django.core.management.base import BaseCommand

from accounts.export_jobs import delete_expired


class Command(BaseCommand):
    help = "Delete prepared data exports whose 7 days are over."

    def handle(self, *args, **options):
        count = delete_expired()
        if options["verbosity"]:
            self.stdout.write(f"{count} expired export(s) deleted.")
