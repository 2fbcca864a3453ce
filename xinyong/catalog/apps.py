from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "xinyong.catalog"
    label = "catalog"
    verbose_name = "信用信息目录"

    def ready(self) -> None:
        from .services import catalog_seed

        # Seeded after every migrate (and test-database flush); only missing items are created.
        post_migrate.connect(catalog_seed, sender=self, dispatch_uid="xinyong.catalog.seed")
