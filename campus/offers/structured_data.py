"""schema.org `JobPosting` of an offer page, as JSON-LD for search engines.

https://schema.org/JobPosting and Google's guidelines for job postings: title,
description (HTML), datePosted, validThrough, employmentType, hiringOrganization
and jobLocation are expected. An apprenticeship has no employmentType of its own
in schema.org: it is given as full time plus « OTHER »; the diploma prepared is
its educationalCredentialAwarded.
"""

import json

from django.conf import settings
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from campus.offers.models import Contract, Offer
from campus.richtext import render_markdown

EMPLOYMENT_TYPES = {
    Contract.APPRENTICESHIP: ["FULL_TIME", "OTHER"],
    Contract.INTERNSHIP: ["INTERN"],
    Contract.JOB: ["FULL_TIME"],
}


def _absolute(path: str) -> str:
    return settings.CAMPUS_SITE_URL + path


def offer_json_ld(offer: Offer) -> dict:
    organisation, commune = offer.organisation, offer.commune
    address = {
        "@type": "PostalAddress",
        "addressLocality": commune.name,
        "addressCountry": "FR",
    }
    if commune.main_postal_code:
        address["postalCode"] = commune.main_postal_code
    hiring = {
        "@type": "Organization",
        "name": organisation.name,
        "url": _absolute(organisation.get_absolute_url()),
    }
    if organisation.website:
        hiring["sameAs"] = organisation.website
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": offer.title,
        "description": str(render_markdown(offer.description)),
        "identifier": {
            "@type": "PropertyValue",
            "name": organisation.name,
            "value": str(offer.pk),
        },
        "url": _absolute(offer.get_absolute_url()),
        "datePosted": offer.created_at.date().isoformat(),
        "validThrough": offer.expires_on.isoformat(),
        "jobStartDate": offer.starts_on.isoformat(),
        "employmentType": EMPLOYMENT_TYPES[offer.contract],
        "hiringOrganization": hiring,
        "jobLocation": {"@type": "Place", "address": address},
        "occupationalCategory": f"{offer.rome_job.code} {offer.rome_job.label}",
        "totalJobOpenings": offer.positions,
        "directApply": False,
        "inLanguage": "fr-FR",
    }
    if offer.latitude is not None:
        data["jobLocation"]["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": offer.latitude,
            "longitude": offer.longitude,
        }
    if offer.certification:
        data["educationalCredentialAwarded"] = {
            "@type": "EducationalOccupationalCredential",
            "name": offer.certification.title,
            "credentialCategory": offer.certification.get_diploma_type_display(),
        }
    return data


def json_ld_script(data: dict) -> str:
    """`data` escaped for a <script type="application/ld+json"> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped
