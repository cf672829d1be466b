from django.core import mail
from django_tasks import task


@task()
def send_probe(n: int) -> int:
    mail.send_mail("probe", f"n={n}", "a@b.de", ["c@d.de"])
    return n


def test_queue(run_jobs, mailoutbox, django_capture_on_commit_callbacks):
    from werkstatt.participation.jobs import enqueue_after_commit

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit(send_probe, 3)
    assert len(mailoutbox) == 0
    assert run_jobs() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].body == "n=3"
