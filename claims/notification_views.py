"""A user's notifications: the list, marking them read, how they hear of each kind, and the navigation's count.
Everyone signed in has their own, and sees and changes only those."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from claims import notifications
from claims.models import Notification, NotificationPreferences

PER_PAGE = 50


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """Newest first, a page at a time from where the last one ended (`?before=<id>`): nothing is counted."""
    mine = Notification.objects.filter(recipient=request.user, shown=True).select_related("claim")
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) < 19:
        mine = mine.filter(pk__lt=int(before))
    page = list(mine.order_by("-pk")[: PER_PAGE + 1])
    older = page[PER_PAGE - 1].pk if len(page) > PER_PAGE else None
    context = {"notifications": page[:PER_PAGE], "older": older, "unread": notifications.unread_count(request.user)}
    return render(request, "claims/notifications.html", context)


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (`id`), or all of them."""
    chosen = request.POST.get("id", "")
    if chosen.isdigit() and len(chosen) < 19:
        notifications.mark_read(request.user, [int(chosen)])
    elif request.POST.get("all"):
        count = notifications.mark_read(request.user)
        messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications")


@require_GET
def notification_unread(request: HttpRequest) -> JsonResponse:
    """For the navigation's badge (static/js/notifications.js): the pages themselves never count."""
    count = notifications.unread_count(request.user)
    shown = f"{notifications.UNREAD_SHOWN}+" if count > notifications.UNREAD_SHOWN else str(count)
    return JsonResponse({"unread": count, "shown": shown})


class PreferencesForm(forms.Form):
    daily_digest = forms.BooleanField(
        required=False,
        label="Send my e-mails as one daily digest",
        help_text="Instead of an e-mail for each notification, one a day with all of them.",
    )

    def __init__(self, *args, preferences: NotificationPreferences, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=NotificationPreferences.CHANNELS,
                widget=forms.RadioSelect,
                initial=preferences.channel(kind),
            )
        self.fields["daily_digest"].initial = preferences.daily_digest
        self.kinds = [self[kind] for kind, _ in Notification.Kind.choices]


def notification_settings(request: HttpRequest) -> HttpResponse:
    preferences = NotificationPreferences.objects.filter(user=request.user).first() or NotificationPreferences(
        user=request.user
    )
    form = PreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        preferences.channels = {kind: form.cleaned_data[kind] for kind, _ in Notification.Kind.choices}
        preferences.daily_digest = form.cleaned_data["daily_digest"]
        preferences.save()
        messages.success(request, "Saved: this is how you hear of your notifications from now on.")
        return redirect("notification-settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "claims/notification_settings.html", {"form": form}, status=status)
