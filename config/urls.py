from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

admin.site.site_header = "Werkstatt – Verwaltung"
admin.site.site_title = "Werkstatt"
admin.site.index_title = "Stammdaten und Sitzungen"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("health/", include("werkstatt.core.urls")),
    path("konto/", include("werkstatt.accounts.urls")),
    path("office/", include("werkstatt.office.urls")),
    path("oparl/v1.1/", include("werkstatt.oparl.urls")),
    path("", include("werkstatt.portal.urls")),
    path("", include("werkstatt.participation.urls")),
    path("", include("werkstatt.exports.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
