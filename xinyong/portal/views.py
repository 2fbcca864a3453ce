"""The published collection catalogue (Articles 6–7): items, field standards, upload templates."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xinyong.catalog.choices import FieldType, Required
from xinyong.catalog.models import CatalogItem
from xinyong.records.ingest.downloads import template_response


def catalog_list(request: HttpRequest) -> HttpResponse:
    items = CatalogItem.objects.filter(is_active=True).prefetch_related("providers")
    return render(request, "portal/catalog_list.html", {"items": items})


def catalog_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(CatalogItem, code=code, is_active=True)
    types, required = dict(FieldType.choices), dict(Required.choices)
    fields = [
        spec
        | {
            "type_label": types.get(spec["type"], spec["type"]),
            "required_label": required.get(spec.get("required", ""), ""),
        }
        for spec in item.fields
    ]
    return render(request, "portal/catalog_detail.html", {"item": item, "fields": fields})


def catalog_template(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The item's upload template (Art. 6–7: the platform publishes its technical requirements)."""
    return template_response(code, fmt)
