import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from werkstatt.core.richtext import sanitise_html
from werkstatt.core.services import save_validated
from werkstatt.core.text import normalise_text
from werkstatt.news.models import NewsItem
from werkstatt.organizations.models import Body, Workshop


@transaction.atomic
def news_item_create(
    *,
    actor: object | None,
    body: Body,
    title: str,
    date: dt.date,
    teaser: str = "",
    text: str = "",
    source_url: str = "",
    workshops: Iterable[Workshop] = (),
    published: bool = False,
) -> NewsItem:
    item = save_validated(
        NewsItem(
            body=body,
            title=normalise_text(title),
            date=date,
            teaser=normalise_text(teaser),
            text=sanitise_html(normalise_text(text)),
            source_url=source_url,
            published=published,
        ),
        actor=actor,
    )
    item.workshops.set(list(workshops))
    return item
