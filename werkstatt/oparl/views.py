"""The OParl 1.1 API: thin views over ``oparl.selectors`` and ``oparl.serializers``.

Every answer is JSON with ``Access-Control-Allow-Origin: *``, an ETag (and Last-Modified for objects) and a
304 for a matching conditional request; every mistake is an OParl error object with its status, in German,
never a 500 page and never anything that is not public.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from werkstatt.oparl import selectors as s
from werkstatt.oparl import serializers
from werkstatt.oparl.params import ListParams, OParlError, parse_list_params, reject_parameters
from werkstatt.oparl.selectors import TYPES, Tombstone
from werkstatt.oparl.serializers import Urls

logger = logging.getLogger(__name__)

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
ERROR_TYPE = "https://schema.oparl.org/1.1/Error"
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


def _cors(response: HttpResponseBase) -> HttpResponseBase:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def error_response(status: int, message: str) -> HttpResponse:
    body = json.dumps({"type": ERROR_TYPE, "message": message}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=JSON_CONTENT_TYPE)
    if status == 405:
        response["Allow"] = ", ".join(ALLOWED_METHODS)
    response["Cache-Control"] = "no-cache"
    _cors(response)
    return response


def json_response(request: HttpRequest, data: dict[str, Any], *, last_modified: str | None = None) -> HttpResponse:
    """The object as JSON with a strong ETag over its bytes; 304 when the client already has them."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified_ts = None
    if last_modified:
        parsed = parse_datetime(last_modified)
        modified_ts = int(parsed.timestamp()) if parsed else None
    not_modified = False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        not_modified = etag in tags or "*" in tags
    elif modified_ts is not None:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        not_modified = since is not None and modified_ts <= since
    response = HttpResponse(status=304) if not_modified else HttpResponse(body, content_type=JSON_CONTENT_TYPE)
    response["ETag"] = etag
    if modified_ts is not None:
        response["Last-Modified"] = http_date(modified_ts)
    # Public data: caches may keep it, but must ask again (the ETag makes that cheap).
    response["Cache-Control"] = "public, no-cache"
    _cors(response)
    return response


def oparl_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Methods, CORS preflight, and every error as an OParl error object."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return _cors(response)
        if request.method not in ("GET", "HEAD"):
            return error_response(
                405,
                _("Die OParl-Schnittstelle kann nur gelesen werden (GET); %(method)s ist nicht erlaubt.")
                % {"method": request.method},
            )
        try:
            return view(request, *args, **kwargs)
        except OParlError as error:
            return error_response(error.status, error.message)
        except Exception:
            logger.exception("OParl: Fehler bei %s", request.get_full_path())
            return error_response(500, _("Ein interner Fehler ist aufgetreten; er wurde protokolliert."))

    return wrapped


def _type(segment: str) -> s.OParlType:
    oparl_type = TYPES.get(segment)
    if oparl_type is None or segment == "body":
        raise OParlError(404, _("Die Schnittstelle kennt keinen Objekttyp „%(segment)s“.") % {"segment": segment[:50]})
    return oparl_type


def _list_response(
    request: HttpRequest,
    urls: Urls,
    params: ListParams,
    page: s.Page,
    self_path: str,
    serialize: Callable[[Any], dict[str, Any]],
) -> HttpResponse:
    def link(number: int) -> str:
        query = params.query(page=number)
        return urls.absolute(self_path) + (f"?{urlencode(query)}" if query else "")

    links = {"first": link(1), "self": link(page.page), "last": link(page.total_pages)}
    if page.page > 1:
        links["prev"] = link(page.page - 1)
    if page.page < page.total_pages:
        links["next"] = link(page.page + 1)
    data = {
        "data": [serialize(item) for item in page.items],
        "pagination": {
            "totalElements": page.total,
            "elementsPerPage": page.limit,
            "currentPage": page.page,
            "totalPages": page.total_pages,
        },
        "links": links,
    }
    return json_response(request, data)


@oparl_view
def system(request: HttpRequest) -> HttpResponseBase:
    reject_parameters(request.GET)
    return json_response(request, serializers.system(Urls.from_settings()))


@oparl_view
def body_list(request: HttpRequest) -> HttpResponseBase:
    params = parse_list_params(request.GET)
    urls = Urls.from_settings()
    qs = s.BODY.prepare(s.BODY.annotate(s.bodies()))
    qs = s.date_filter(qs, params, created="created", modified="oparl_modified")
    total = qs.count()
    page = s.Page(items=[], total=total, limit=params.limit, page=params.page)
    if params.page > page.total_pages:
        raise OParlError(404, _("Seite %(page)s gibt es nicht.") % {"page": params.page})
    start = (params.page - 1) * params.limit
    page.items = list(qs[start : start + params.limit])
    return _list_response(
        request, urls, params, page, reverse("oparl:body-list"), lambda item: serializers.body(urls, item)
    )


@oparl_view
def body_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    reject_parameters(request.GET)
    item = s.object_get(TYPES["body"], str(pk))
    return _object_response(request, Urls.from_settings(), s.BODY, item)


@oparl_view
def body_sublist(request: HttpRequest, pk: int, segment: str) -> HttpResponseBase:
    oparl_type = _type(segment)
    params = parse_list_params(request.GET)
    body = s.body_get(pk)
    page = s.list_page(oparl_type, body, params)
    urls = Urls.from_settings()
    return _list_response(
        request,
        urls,
        params,
        page,
        reverse("oparl:body-sublist", args=[pk, segment]),
        lambda item: serializers.serialize(urls, _source_of(item, oparl_type), item),
    )


@oparl_view
def organization_meetings(request: HttpRequest, key: str) -> HttpResponseBase:
    """The sessions of a workshop (OParl ``Organization.meeting``)."""
    params = parse_list_params(request.GET)
    organization = TYPES["organization"]
    found = organization.source_of(key)
    if found is None or found[0] is not s.WORKSHOP:
        raise OParlError(404, _("Sitzungen gibt es nur zu einer Werkstatt; „%(key)s“ ist keine.") % {"key": key[:50]})
    workshop = s.workshop_get(found[1])
    page = s.list_page(
        TYPES["meeting"],
        workshop.body,
        params,
        sources=(s.MEETING,),
        base=lambda source: source.visible(workshop.body).filter(workshop=workshop),
    )
    urls = Urls.from_settings()
    return _list_response(
        request,
        urls,
        params,
        page,
        reverse("oparl:organization-meeting", args=[key]),
        lambda item: serializers.serialize(urls, s.MEETING, item),
    )


def _source_of(item: Any, oparl_type: s.OParlType) -> s.Source:
    """The source of a list item: a type's sources are of different models (workshops and organisations)."""
    if isinstance(item, Tombstone):
        return item.source
    return next(source for source in oparl_type.sources if isinstance(item, source.model))


def _object_response(request: HttpRequest, urls: Urls, source: s.Source, item: Any) -> HttpResponse:
    data = serializers.serialize(urls, source, item)
    return json_response(request, data, last_modified=data["modified"])


@oparl_view
def object_detail(request: HttpRequest, segment: str, key: str) -> HttpResponseBase:
    reject_parameters(request.GET)
    oparl_type = _type(segment)
    item = s.object_get(oparl_type, key)
    source = item.source if isinstance(item, Tombstone) else oparl_type.source_of(key)[0]  # type: ignore[index]
    return _object_response(request, Urls.from_settings(), source, item)


def _file_response(request: HttpRequest, pk: int, *, as_attachment: bool) -> HttpResponseBase:
    reject_parameters(request.GET)
    document = s.files_visible_to(s.PUBLIC).filter(pk=pk).first()
    if document is None:
        raise OParlError(404, _("Eine öffentliche Datei mit der Nummer %(pk)s gibt es nicht.") % {"pk": pk})
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=as_attachment,
        filename=document.file_name or document.name,
        content_type=document.mime_type or "application/octet-stream",
    )
    response["Last-Modified"] = http_date(int(document.modified.timestamp()))
    if document.sha512:
        response["ETag"] = f'"{document.sha512[:32]}"'
    response["X-Content-Type-Options"] = "nosniff"
    # A stored document is never a page of this site: no scripts, no forms, even if a browser renders it.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    _cors(response)
    return response


@oparl_view
def file_access(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _file_response(request, pk, as_attachment=False)


@oparl_view
def file_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _file_response(request, pk, as_attachment=True)


@oparl_view
def not_found(request: HttpRequest, rest: str = "") -> HttpResponseBase:
    raise OParlError(
        404,
        _("Unter dieser Adresse gibt es kein OParl-Objekt. Einstieg: %(url)s") % {"url": Urls.from_settings().system()},
    )
