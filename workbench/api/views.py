"""The signed-in user's API tokens: the list, a new one (its secret shown once), revoking one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from workbench.api import tokens
from workbench.api.models import ApiToken

SHOWN = 50  # a person's tokens, newest first: more than anyone keeps
JUST_MADE = "api_token_just_made"


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “CMS sync”.")
    access = forms.ChoiceField(
        choices=[("read", "Read only"), ("write", "Read and write")],
        initial="read",
        widget=forms.RadioSelect,
        help_text="A read-only token cannot change anything, whatever your role.",
    )
    days = forms.TypedChoiceField(label="Expires after", choices=list(tokens.LIFETIMES.items()), coerce=int, initial=30)


def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, raw = tokens.token_create(
                user=request.user, name=data["name"], can_write=data["access"] == "write", days=data["days"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown by the page the browser is sent to, once, then gone from the session: reloading that page
            # neither shows it again nor makes a second token.
            request.session[JUST_MADE] = {"id": token.pk, "secret": raw}
            return redirect("api-tokens")
    created = None
    if request.method == "GET" and (made := request.session.pop(JUST_MADE, None)):
        created = {"token": ApiToken.objects.filter(pk=made["id"], user=request.user).first(), "secret": made["secret"]}
    mine = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")[:SHOWN]
    status = 400 if request.method == "POST" else 200
    response = render(request, "api/tokens.html", {"form": form, "tokens": mine, "created": created}, status=status)
    if created:  # the secret is on this page only: never from a cache or the browser's history
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token, user=request.user)
    messages.success(request, f"Token {token.prefix} revoked: it no longer opens the API.")
    return redirect("api-tokens")
