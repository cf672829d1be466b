from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "werkstatt.core"
    verbose_name = "Grundlagen"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from werkstatt.core import pagecache

        # Every database connection of this process reports its writes to the page cache.
        connection_created.connect(pagecache.install, dispatch_uid="werkstatt-page-cache")
        pre_migrate.connect(pagecache.before_migrate, sender=self, dispatch_uid="werkstatt-page-cache-premigrate")
        post_migrate.connect(pagecache.after_migrate, sender=self, dispatch_uid="werkstatt-page-cache-migrate")
