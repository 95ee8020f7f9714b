from django_tasks import task


@task()
def wait():
    """A task that the tests queue and no worker runs."""
