"""Our Spanish for Django's and django-allauth's own messages.

Error messages, password rules, flash messages and emails that Django and allauth show on our
pages come with their own Spanish catalogues, which address the user as "usted" and say
"iniciar sesión" (here "sesión" is a workout: we say "entrar" and "salir"). Our catalogue
(LOCALE_PATHS) is looked up before theirs, so listing those exact messages here lets
makemessages put them in locale/es/LC_MESSAGES/django.po, where we translate them in our own
voice (tú, the glossary's terms): the whole interface then speaks one Spanish.

Nothing imports this module; it only marks strings. Each message must stay byte-identical to
the original in Django or allauth (curly quotes included), or ours is never used: after
upgrading either package, check that these messages still exist there.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Password rules (django.contrib.auth.password_validation): sign-up, new and changed passwords
gettext_noop("The password is too similar to the %(verbose_name)s.")
gettext_noop("Your password can’t be too similar to your other personal information.")
gettext_noop("Your password can’t be a commonly used password.")
gettext_noop("Your password can’t be entirely numeric.")

# allauth's form and adapter errors (allauth.account.adapter, forms, fields)
gettext_noop("This account is currently inactive.")
gettext_noop("You cannot remove your primary email address.")
gettext_noop("The email address and/or password you specified are not correct.")
gettext_noop("A user is already registered with this email address.")
gettext_noop("Please type your current password.")
gettext_noop("Invalid login.")
gettext_noop("The password reset token was invalid.")
gettext_noop("You cannot add more than %d email addresses.")
gettext_noop("Too many failed login attempts. Try again later.")
gettext_noop("Your primary email address must be verified.")
gettext_noop("You must type the same password each time.")
gettext_noop("Forgot your password?")
gettext_noop("Use your password")
gettext_noop("Use authenticator app or code")
gettext_noop("Use a security key")

# Two-step login (allauth.mfa): errors, default key names, flash messages
gettext_noop(
    "You cannot add an email address to an account protected by two-factor authentication."
)
gettext_noop("You cannot deactivate two-factor authentication.")
gettext_noop("You cannot generate recovery codes without having two-factor authentication enabled.")
gettext_noop(
    "You cannot activate two-factor authentication until you have verified your email address."
)
gettext_noop("Backup key")
gettext_noop("Key nr. {number}")
gettext_noop("Authenticator app activated.")
gettext_noop("Authenticator app deactivated.")
gettext_noop("Security key added.")
gettext_noop("Security key removed.")

# allauth's emails (templates/account/email/: we do not override them)
gettext_noop("Hello from %(site_name)s!")
gettext_noop("Please Confirm Your Email Address")
gettext_noop(
    "You are receiving this email because you or someone else tried to signup for an\n"
    "account using email address:\n\n%(email)s\n\nHowever, an account using that email address "
    "already exists.  In case you have\nforgotten about this, please use the password forgotten "
    "procedure to recover\nyour account:\n\n%(password_reset_url)s"
)
gettext_noop("Password Reset Email")
gettext_noop(
    "You're receiving this email because you or someone else has requested a password reset for "
    "your user account.\nIt can be safely ignored if you did not request a password reset. Click "
    "the link below to reset your password."
)
gettext_noop(
    "You are receiving this email because you, or someone else, tried to access an account with "
    "email %(email)s. However, we do not have any record of such an account in our database."
)
gettext_noop("If it was you, you can sign up for an account using the link below.")
gettext_noop("This mail can be safely ignored if you did not initiate this action.")

# Django's form field and validator errors (django.forms, django.core.validators)
gettext_noop("Enter a whole number.")
gettext_noop("Enter a number.")
gettext_noop("Enter a valid date.")
gettext_noop("Enter a valid time.")
gettext_noop("Enter a valid date/time.")
gettext_noop("Enter a valid duration.")
gettext_noop("Enter a valid URL.")
gettext_noop("Select a valid choice. %(value)s is not one of the available choices.")
gettext_noop("Select a valid choice. That choice is not one of the available choices.")
gettext_noop("Enter a list of values.")
gettext_noop("Enter a valid value.")
gettext_noop("Enter a valid integer.")
gettext_noop("Enter a valid email address.")
gettext_noop("Ensure this value is less than or equal to %(limit_value)s.")
gettext_noop("Ensure this value is greater than or equal to %(limit_value)s.")
gettext_noop("Ensure this value is a multiple of step size %(limit_value)s.")
gettext_noop(
    "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, "
    "e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
)

# Django's file upload errors (the coach's exercise video)
gettext_noop("No file was submitted. Check the encoding type on the form.")
gettext_noop("No file was submitted.")
gettext_noop("The submitted file is empty.")
gettext_noop("Please either submit a file or check the clear checkbox, not both.")
gettext_noop(
    "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
)

# Django's CSRF failure page (django.views.csrf: a form sent from a stale page)
gettext_noop("CSRF verification failed. Request aborted.")
gettext_noop(
    "You are seeing this message because this HTTPS site requires a “Referer header” to be sent "
    "by your web browser, but none was sent. This header is required for security reasons, to "
    "ensure that your browser is not being hijacked by third parties."
)
gettext_noop(
    "If you have configured your browser to disable “Referer” headers, please re-enable them, at "
    "least for this site, or for HTTPS connections, or for “same-origin” requests."
)
gettext_noop(
    'If you are using the <meta name="referrer" content="no-referrer"> tag or including the '
    "“Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the "
    "“Referer” header to do strict referer checking. If you’re concerned about privacy, use "
    'alternatives like <a rel="noreferrer" …> for links to third-party sites.'
)
gettext_noop(
    "You are seeing this message because this site requires a CSRF cookie when submitting forms. "
    "This cookie is required for security reasons, to ensure that your browser is not being "
    "hijacked by third parties."
)
gettext_noop(
    "If you have configured your browser to disable cookies, please re-enable them, at least for "
    "this site, or for “same-origin” requests."
)

# Plural messages (ngettext_lazy: Django has no ngettext_noop), kept in a tuple.
PLURALS = (
    # Password rules (django.contrib.auth.password_validation): sign-up, new and changed passwords
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    ),
    # Django's form field and validator errors (django.forms, django.core.validators)
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        1,
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        1,
    ),
    # Django's file upload errors (the coach's exercise video)
    ngettext_lazy(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        1,
    ),
)
