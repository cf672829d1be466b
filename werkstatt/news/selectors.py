from django.db.models import QuerySet
from django.http import Http404

from werkstatt.accounts.rules import is_office
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import Workshop


def news_items_visible_to(user: object) -> QuerySet[NewsItem]:
    qs = NewsItem.objects.all()
    return qs if is_office(user) else qs.filter(published=True)


def news_item_list_for_user(user: object) -> QuerySet[NewsItem]:
    return news_items_visible_to(user).prefetch_related("workshops")


def news_items_for_workshop(user: object, workshop: Workshop) -> QuerySet[NewsItem]:
    return news_item_list_for_user(user).filter(workshops=workshop)


def news_item_get_for_user(user: object, pk: int) -> NewsItem:
    item = news_item_list_for_user(user).filter(pk=pk).first()
    if item is None:
        raise Http404("Diese Neuigkeit gibt es nicht oder sie ist nicht veröffentlicht.")
    return item
