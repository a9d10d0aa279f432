from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "anju.bench"
    verbose_name = "Benchmark"
