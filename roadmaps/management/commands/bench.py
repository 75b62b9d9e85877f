"""``manage.py bench NAME``: run a benchmark on generated data and print JSON."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from roadmaps.benchmarks import bench_roadmaps
from roadmaps.importing.bench import bench_import

# A benchmark is a function ``(repeat=...) -> dict``, or the dotted path of one in an app
# that builds on plans (roadmaps never imports those apps: tests/test_architecture.py).
BENCHMARKS = {
    "roadmaps": bench_roadmaps,
    "import": bench_import,
    "execution": "execution.bench.bench_execution",
    "reminders": "notifications.bench.bench_reminders",
    "pdf": "reports.bench.bench_pdf",
    "dashboards": "dashboard.bench.bench_dashboards",
}


class Command(BaseCommand):
    help = "Замер скорости на сгенерированных данных реалистичного объёма (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="что замерять")
        parser.add_argument("--repeat", type=int, default=7, help="сколько раз повторить замер")

    def handle(self, *args, name, repeat, **options):
        if repeat < 1:
            raise CommandError("--repeat должен быть не меньше 1.")
        benchmark = BENCHMARKS[name]
        if isinstance(benchmark, str):
            benchmark = import_string(benchmark)
        result = benchmark(repeat=repeat)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
