"""Keep the key figures' stored computed values in step with their inputs.

Only data integrity happens here: whoever saves a key figure or a profile (the
admin, the team's forms, the demo), the home page reads the stored value, which
must not outlive the spec, the sector's NAF codes, the campus's territory or
an indicator row (edited in the admin) it was computed from. Imports and the
aggregates write and delete their rows in bulk, without signals, and store it
again themselves (tasks.py, aggregates.py); no receiver listens to deletions,
which would make each bulk delete fetch its rows one signal at a time.
"""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from campus.observatory.key_figures import refresh_key_figures, store_computed
from campus.observatory.models import Indicator, KeyFigure
from campus.profiles.models import CampusProfile, SectorProfile


@receiver(pre_save, sender=KeyFigure, dispatch_uid="observatory_key_figure")
def fill_computed(sender, instance, raw=False, **kwargs):
    if not raw:
        store_computed(instance, CampusProfile.load())


@receiver(post_save, sender=Indicator, dispatch_uid="observatory_indicator_saved")
@receiver(post_save, sender=CampusProfile, dispatch_uid="observatory_campus")
@receiver(post_save, sender=SectorProfile, dispatch_uid="observatory_sector")
def input_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_key_figures()


@receiver(
    m2m_changed,
    sender=CampusProfile.departements.through,
    dispatch_uid="observatory_campus_departements",
)
def campus_departements_changed(sender, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        refresh_key_figures()
