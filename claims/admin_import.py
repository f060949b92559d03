"""The admin's page for taking claims in: a Workbench JSON export, or W3C Web Annotations or Hypothesis
annotations, imported at once with the report of every record (the command line's import_claims)."""

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claims.exports.annotation_import import import_document
from claims.exports.importing import ImportRefused

MAX_BYTES = 20 * 2**20  # a file of claims read in one request: an export of many thousands of claims


class ClaimsFileForm(forms.Form):
    file = forms.FileField(
        help_text="A Workbench JSON export, W3C Web Annotations (an annotation, page or collection, such as "
        "annotations.jsonld) or Hypothesis annotations (JSON from its API)."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is {upload.size:,} bytes; at most {MAX_BYTES:,} are read here.")
        try:
            return json.loads(upload.read())
        except ValueError as error:
            raise forms.ValidationError(f"{upload.name} is not valid JSON: {error}") from error


def import_claims_page(request: HttpRequest, admin_site) -> HttpResponse:
    form = ClaimsFileForm(request.POST, request.FILES) if request.method == "POST" else ClaimsFileForm()
    outcome = None
    if form.is_bound and form.is_valid():
        try:
            outcome = import_document(form.cleaned_data["file"], user=request.user, origin=request.FILES["file"].name)
        except ImportRefused as error:
            form.add_error("file", str(error))
    context = {**admin_site.each_context(request), "form": form, "outcome": outcome, "title": "Import claims"}
    return render(request, "admin/claims/import_claims.html", context)
