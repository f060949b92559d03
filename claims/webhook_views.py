"""The signed-in user's webhooks (claims.webhooks): the list and a new one; one subscription with its secret, its
settings and its delivery log; a test delivery; deleting it. Admins open everyone's here too (and in the admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims import permissions, webhooks
from claims.forms import WebhookForm
from claims.models import WebhookSubscription

SHOWN = 50  # a person's subscriptions, newest first: more than anyone keeps


def _get_webhook(request: HttpRequest, pk: int) -> WebhookSubscription:
    subscription = get_object_or_404(WebhookSubscription.objects.select_related("owner", "claim_set"), pk=pk)
    if not permissions.can_manage_webhook(request.user, subscription):
        raise PermissionDenied("Only its owner and admins open a webhook.")
    return subscription


def _saved(request: HttpRequest, form: WebhookForm) -> WebhookSubscription | None:
    """The form's subscription saved through the service, or None with its refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return webhooks.webhook_save(subscription=form.instance, user=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
    return None


def webhook_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_subscribe(request.user):
        raise PermissionDenied("Only those who read claims subscribe to them.")
    form = WebhookForm(request.POST or None, user=request.user, instance=WebhookSubscription(owner=request.user))
    if request.method == "POST" and (subscription := _saved(request, form)):
        messages.success(request, f"Webhook “{subscription.name}” added. Copy its secret to the receiver.")
        return redirect(subscription)
    mine = WebhookSubscription.objects.filter(owner=request.user).select_related("claim_set")[:SHOWN]
    status = 400 if request.method == "POST" else 200
    return render(request, "claims/webhooks.html", {"form": form, "subscriptions": mine}, status=status)


def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _get_webhook(request, pk)
    form = WebhookForm(request.POST or None, user=request.user, instance=subscription)
    if request.method == "POST" and _saved(request, form):
        messages.success(request, "Webhook saved.")
        return redirect(subscription)
    deliveries, older = webhooks.delivery_log(subscription, before=request.GET.get("before", ""))
    context = {"subscription": subscription, "form": form, "deliveries": deliveries, "older": older}
    response = render(request, "claims/webhook.html", context, status=400 if request.method == "POST" else 200)
    response["Cache-Control"] = "no-store"  # the page shows the secret
    return response


@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _get_webhook(request, pk)
    webhooks.webhook_test(subscription=subscription, user=request.user)
    messages.success(request, "A test delivery (ping) is on its way: it appears below once sent.")
    return redirect(subscription)


@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _get_webhook(request, pk)
    webhooks.webhook_delete(subscription=subscription, user=request.user)
    messages.success(request, f"Webhook “{subscription.name}” deleted: nothing more is sent to it.")
    return redirect("webhooks")
