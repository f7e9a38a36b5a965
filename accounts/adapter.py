"""allauth's adapter, with every email written in its recipient's language.

An email is rendered in the web request that asks for it and stored as text for the job
worker (core/mail.py), so the worker, which has no request, never picks a language: the
text already is in the right one. That language is the recipient's own (``User.language``)
when the address belongs to an account, else the language of the page that sent it (an
invitation to someone without an account reads like the coach's page).
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from accounts.models import User
from core.languages import supported_language


def recipient_language(email: str, user=None) -> str:
    if not isinstance(user, User) or user.email.lower() != str(email).lower():
        user = User.objects.filter(email__iexact=email).only("language").first()
    language = supported_language(user.language) if user is not None else None
    return language or translation.get_language()


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language it signed up in, for pages and for emails.
        user.language = supported_language(translation.get_language()) or ""
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        with translation.override(recipient_language(email, context.get("user"))):
            super().send_mail(template_prefix, email, context)
