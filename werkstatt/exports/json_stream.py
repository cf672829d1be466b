"""JSON exports, streamed piece by piece: a head (what, when, licence, messages), one list of records, a count.

The document is one JSON object; every record stands on its own line, so a large export never has to
be held in memory and stays readable with ``grep``. UTF-8, characters unescaped (``"Lübbenau"``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

CONTENT_TYPE = "application/json; charset=utf-8"


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def json_document(head: Mapping[str, Any], key: str, records: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """``{**head, key: [record, ...], "count": n}`` as UTF-8 bytes, one record per line."""
    opening = "{" + "".join(f"{dumps(name)}: {dumps(value)}, " for name, value in head.items())
    yield f"{opening}{dumps(key)}: [".encode()
    count = 0
    for record in records:
        yield f"{',' if count else ''}\n{dumps(record)}".encode()
        count += 1
    yield f"\n], {dumps('count')}: {count}}}\n".encode()
