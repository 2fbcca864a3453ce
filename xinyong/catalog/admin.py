from django.contrib import admin

from .models import CatalogItem


@admin.register(CatalogItem)
class CatalogItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "domain", "disclosure", "requires_leadership_approval", "version", "is_active")
    list_filter = ("domain", "disclosure", "is_active")
    search_fields = ("code", "name")
