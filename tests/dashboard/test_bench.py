"""``manage.py bench dashboards`` at a tiny size: it builds its data, measures the three
dashboards cold and cached, prints the figures and the budget, and leaves nothing behind."""

import pytest

from dashboard.bench import Size, bench_dashboards
from schools.models import Organisation, Region


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_runs_at_a_tiny_size_and_leaves_nothing():
    regions, organisations = Region.objects.count(), Organisation.objects.count()
    result = bench_dashboards(
        sizes={
            "small": Size(municipalities=2, schools=6, plans=2, group=3),
            "large": Size(municipalities=3, schools=6, plans=3, group=3),
        },
        repeat=1,
    )
    for dashboard in ("regional", "municipal", "school"):
        small, large = result[dashboard]["small"], result[dashboard]["large"]
        assert small["cold_ms"] > 0
        assert small["cached_ms"] > 0
        assert small["queries"] == large["queries"] > small["cached_queries"]
    assert result["regional_raw_sql_ms"] > 0
    assert result["budget"]["met"]["queries_constant"] is True
    assert (Region.objects.count(), Organisation.objects.count()) == (regions, organisations)
