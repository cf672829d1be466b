"""The background job queue (django-tasks with the database backend): jobs run after commit, by the worker."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from werkstatt.participation.jobs import enqueue_after_commit


@task()
def send_probe(number: int) -> int:
    mail.send_mail("Probe", f"Nummer {number}", "werkstatt@localhost", ["leser@example.org"])
    return number


def test_a_job_waits_for_the_commit_and_runs_in_the_worker(run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(send_probe, 3)
        assert DBTaskResult.objects.count() == 0  # not before the commit
    assert DBTaskResult.objects.ready().count() == 1
    assert mailoutbox == []  # nothing is sent in the request
    assert run_jobs() == 1
    assert [m.body for m in mailoutbox] == ["Nummer 3"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert run_jobs() == 0


def test_a_job_of_a_rolled_back_write_never_runs(run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(send_probe, 4)
        raise RuntimeError("rolled back")
    assert run_jobs() == 0
    assert DBTaskResult.objects.count() == 0
    assert mailoutbox == []
