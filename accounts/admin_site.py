"""The admin site, behind the app's own login.

Django's admin has a login form of its own, which skips allauth's rate limits and second
login step. Here the admin login page sends people to the app's login instead, and a staff
member without an authenticator is sent to set one up before any admin page opens.
"""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.shortcuts import redirect

from accounts.decorators import needs_second_step


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def inner(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and needs_second_step(user):
                return redirect("mfa_index")
            return checked(request, *args, **kwargs)

        return inner
