"""The one way a partner deletes what their organisation owns.

GET shows what will disappear and asks; only POST deletes (GET never writes),
then says so and goes back to the list. The view fetches the object through
its QuerySet's `editable_by()` first, so another partner's object is a 404.
"""

from django.contrib import messages
from django.shortcuts import redirect, render


def confirm_delete(
    request,
    obj,
    *,
    what: str,
    consequence: str,
    list_url: str,
    list_label: str,
    edit_url: str,
    delete=None,
):
    """`what` names the object in the question (« Supprimer <what> ? »);
    `delete` replaces `obj.delete` when deleting has side effects."""
    if request.method == "POST":
        (delete or obj.delete)()
        messages.success(request, f"Vous avez supprimé {what}.")
        return redirect(list_url)
    return render(
        request,
        "confirm_delete.html",
        {
            "what": what,
            "consequence": consequence,
            "list_url": list_url,
            "list_label": list_label,
            "edit_url": edit_url,
            # A moderated row (event, news) has no box to untick.
            "published_label": obj._meta.get_field("is_published").verbose_name
            if any(f.name == "is_published" for f in obj._meta.fields)
            else "",
        },
    )
