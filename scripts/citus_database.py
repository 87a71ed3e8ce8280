"""Makes a new database usable on the throwaway Citus cluster of scripts/with-citus (shared by
scripts/crash-test and scripts/bench).

Citus keeps its node list per database: the database is created on every worker too, the extension
in each, and the workers are registered with the coordinator. Stdlib only.
"""
import os
import subprocess
import urllib.parse


def workers():
    """The workers' maintenance URLs when running under scripts/with-citus; empty otherwise."""
    return [url for url in os.environ.get("CARNET_TEST_CITUS_WORKERS", "").split(",") if url]


def prepare(psql, database_url, environment):
    """Creates the database named in `database_url` (which must exist on the coordinator) on every
    worker, with the extension, and registers the workers; a no-op without workers."""
    found = workers()
    if not found:
        return
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    for worker in found:
        worker_parts = urllib.parse.urlsplit(worker)
        subprocess.run([psql, worker, "-q", "-c", f"CREATE DATABASE {name}"], check=True, env=environment)
        subprocess.run([psql, worker_parts._replace(path=f"/{name}").geturl(), "-q", "-c", "CREATE EXTENSION citus"],
                       check=True, env=environment)
    statements = ["CREATE EXTENSION citus", f"SELECT citus_set_coordinator_host('127.0.0.1', {parts.port})"]
    for worker in found:
        worker_parts = urllib.parse.urlsplit(worker)
        statements.append(f"SELECT citus_add_node('{worker_parts.hostname}', {worker_parts.port})")
    coordinator = parts._replace(netloc=f"{parts.username}@{parts.hostname}:{parts.port}").geturl()
    for statement in statements:
        subprocess.run([psql, coordinator, "-q", "-c", statement], check=True, env=environment, stdout=subprocess.DEVNULL)
