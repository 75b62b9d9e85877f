"""``manage.py bench NAME``: run a benchmark on generated data and print JSON."""

import json

from django.core.management.base import BaseCommand, CommandError

from roadmaps.benchmarks import bench_roadmaps
from roadmaps.importing.bench import bench_import

BENCHMARKS = {"roadmaps": bench_roadmaps, "import": bench_import}


class Command(BaseCommand):
    help = "Замер скорости на сгенерированных данных реалистичного объёма (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="что замерять")
        parser.add_argument("--repeat", type=int, default=7, help="сколько раз повторить замер")

    def handle(self, *args, name, repeat, **options):
        if repeat < 1:
            raise CommandError("--repeat должен быть не меньше 1.")
        result = BENCHMARKS[name](repeat=repeat)
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
