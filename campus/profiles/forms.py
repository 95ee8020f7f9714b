from django import forms

from campus.formfields import campus_formfield
from campus.profiles.models import CampusProfile, ReferenceLink, SectorProfile


class CampusProfileForm(forms.ModelForm):
    class Meta:
        model = CampusProfile
        fields = [
            "name",
            "short_name",
            "tagline",
            "label_decree_date",
            "region",
            "departements",
            "director_name",
            "contact_email",
            "contact_phone",
            "postal_address",
            "mission_trades",
            "mission_training",
            "mission_talent",
            "mission_resources",
            "publisher_name",
            "host_name",
            "accessibility_status",
        ]
        widgets = {
            "label_decree_date": forms.DateInput(
                attrs={"type": "date"}, format="%Y-%m-%d"
            ),
            "departements": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region")
        departements = cleaned.get("departements") or []
        outside = [d for d in departements if region and d.region_id != region.pk]
        if outside:
            self.add_error(
                "departements",
                "Ces départements ne sont pas dans la région choisie : "
                + ", ".join(str(d) for d in outside),
            )
        return cleaned


ReferenceLinkFormSet = forms.inlineformset_factory(
    CampusProfile,
    ReferenceLink,
    fields=["label", "url", "description", "order"],
    formfield_callback=campus_formfield,
    extra=1,
    max_num=20,
    validate_max=True,
)


class SectorProfileForm(forms.ModelForm):
    class Meta:
        model = SectorProfile
        fields = [
            "name",
            "description",
            "naf_codes",
            "rome_codes",
            "nsf_codes",
            "diploma_titles",
            "keywords",
        ]
        widgets = {
            "naf_codes": forms.Textarea(attrs={"rows": 2}),
            "rome_codes": forms.Textarea(attrs={"rows": 2}),
            "nsf_codes": forms.Textarea(attrs={"rows": 2}),
            "keywords": forms.Textarea(attrs={"rows": 2}),
        }
