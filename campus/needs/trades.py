"""The trades a need may name: the ROME codes the campus knows, with their labels.

Known codes are those of the imported ROME fiches, of the sector's trades and of
the ROME labels typed in campus/trades/reference.py and below; any other code is refused, so
a need always names a trade the catalogue can be set against.
"""

from campus.trades.models import RomeJob, Trade
from campus.trades.reference import ROME_LABELS

# Codes the sector's needs name beyond campus/trades/reference.py: the coupeurs and
# sertisseurs of bag jewellery (labels of the ROME 4.0 fiches, France Travail).
NEEDS_ROME_LABELS = {
    "B1610": "Sertisseur / Sertisseuse en bijouterie ou joaillerie",
    "H2409": "Coupeur / Coupeuse en industrie textile et matériaux souples",
}


def rome_labels() -> dict[str, str]:
    labels = {**ROME_LABELS, **NEEDS_ROME_LABELS}
    for trade in Trade.objects.exclude(rome_codes="").order_by("name", "pk"):
        for code in trade.rome_code_list:
            labels.setdefault(code, trade.name)
    labels.update(RomeJob.objects.values_list("code", "label"))
    return labels


def rome_choices() -> list[tuple[str, str]]:
    labels = rome_labels()
    return [(code, f"{code} — {labels[code]}") for code in sorted(labels)]


def rome_label(code: str, labels: dict[str, str] | None = None) -> str:
    labels = rome_labels() if labels is None else labels
    return labels.get(code, f"Code ROME {code}")
