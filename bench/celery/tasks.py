"""Celery's side of the benchmark: the same no-op tasks, on Redis (broker and result backend)."""
import os

from celery import Celery

redis = os.environ["BENCH_REDIS_URL"]
app = Celery("tasks", broker=f"{redis}/0", backend=f"{redis}/1")
app.conf.update(worker_hijack_root_logger=False, result_expires=3600, broker_connection_retry_on_startup=True)


@app.task
def add(x, y):
    return x + y


@app.task
def xsum(numbers):
    """The sum of a chord's results; a chunk's result is its own list (B3c)."""
    return sum(sum(n) if isinstance(n, list) else n for n in numbers)
