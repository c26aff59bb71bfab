"""Celery's scenarios, run as a driver (bench/lib/driver.mjs) against a `celery worker` on tasks.py.

A single result is awaited as Celery users do, with `.get()`. A chord's result is polled with
`.ready()`: its client's `.get()` on a chord of 10,000 takes minutes on its own, which would
measure the client rather than the chord.

    BENCH_REDIS_URL=redis://127.0.0.1:6379 python3 bench/celery/driver.py '{"b1": 500, ...}'
"""
import json
import math
import sys
import time

from celery import chord

from tasks import add, xsum

config = json.loads(sys.argv[1])


def emit(line):
    print(json.dumps({"variant": "Celery", **line}), flush=True)


def latency(count, warmup=5):
    for i in range(warmup):
        add.delay(i, i).get(timeout=60)
    samples = []
    for i in range(count):
        started = time.perf_counter()
        add.delay(i, i).get(timeout=60)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    at = lambda q: round(samples[min(len(samples) - 1, math.ceil(q * len(samples)) - 1)], 1)
    return {"n": count, "p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99), "mean_ms": round(sum(samples) / count, 1)}


def throughput(count):
    started = time.perf_counter()
    results = [add.delay(i, i) for i in range(count)]
    for result in results:
        result.get(timeout=1800)
    seconds = time.perf_counter() - started
    return {"n": count, "seconds": round(seconds, 3), "tasks_per_s": round(count / seconds)}


def run_chord(header, n, deadline_s=1800):
    started = time.perf_counter()
    result = chord(header)(xsum.s())
    while not result.ready():
        if time.perf_counter() - started > deadline_s:
            raise TimeoutError(f"the chord of {n} is not ready after {deadline_s} s")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    if result.result != n * (n - 1):
        raise RuntimeError(f"the chord's sum is {result.result!r}, not {n * (n - 1)}")
    return {"n": n, "seconds": round(seconds, 3), "tasks_per_s": round(n / seconds)}


emit({"scenario": "B1", **latency(config["b1"])})
emit({"scenario": "B2", **throughput(config["b2"])})
emit({"scenario": "B3", **run_chord([add.s(i, i) for i in range(config["b3"])], config["b3"])})
emit({"scenario": "B3c", **run_chord(add.chunks([(i, i) for i in range(config["b3c"])], 100).group(), config["b3c"])})
if config.get("b5"):
    emit({"scenario": "B5", **run_chord([add.s(i, i) for i in range(config["b5"])], config["b5"])})
