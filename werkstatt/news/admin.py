from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from werkstatt.news.models import NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "date", "published")
    list_filter = ("published", "workshops")
    search_fields = ("title", "teaser", "text")
    date_hierarchy = "date"
    filter_horizontal = ("workshops",)
