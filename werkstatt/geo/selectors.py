from werkstatt.geo.models import Municipality


def municipality_find_by_name(name: str) -> Municipality | None:
    return Municipality.objects.select_related("district").filter(name=name).first()
