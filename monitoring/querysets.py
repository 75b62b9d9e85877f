from schools.access import ScopedQuerySet


class IndicatorQuerySet(ScopedQuerySet):
    """An indicator belongs to the organisation that set it (a regional body's indicators
    are visible across its region, a municipality's within it)."""

    region_path = "owner__region_id"
    municipality_path = "owner__municipality_id"
    organisation_path = "owner_id"
