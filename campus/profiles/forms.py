from django import forms

from campus.formfields import FieldPurposeMixin, campus_formfield
from campus.images import LOGO_MAX_SIDE, SHOWCASE_MAX_SIDE, reencoded_image
from campus.profiles.models import CampusProfile, ReferenceLink, SectorProfile

# Each image, its text alternative, its largest side and whether transparency stays.
IMAGES = {
    "logo": ("logo_alt", LOGO_MAX_SIDE, True),
    "main_image": ("main_image_alt", SHOWCASE_MAX_SIDE, False),
}


class CampusProfileForm(FieldPurposeMixin, forms.ModelForm):
    autocomplete = {
        "contact_email": "work email",
        "contact_phone": "work tel",
        "postal_address": "street-address",
    }
    empty_labels = {"region": "Choisissez une région"}

    class Meta:
        model = CampusProfile
        formfield_callback = campus_formfield
        fields = [
            "name",
            "short_name",
            "tagline",
            "logo",
            "logo_alt",
            "main_image",
            "main_image_alt",
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
        for name, (alt_name, _, _) in IMAGES.items():
            if cleaned.get(name) and not cleaned.get(alt_name):
                self.add_error(
                    alt_name,
                    "Décrivez l'image en quelques mots pour les personnes aveugles.",
                )
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        for name, (_, max_side, keep_transparency) in IMAGES.items():
            if name in self.changed_data and self.cleaned_data.get(name):
                content = reencoded_image(
                    self.cleaned_data[name],
                    max_side=max_side,
                    keep_transparency=keep_transparency,
                )
                getattr(profile, name).save(content.name, content, save=False)
        if commit:
            profile.save()
            self.save_m2m()
        return profile


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
            "synonyms",
        ]
        widgets = {
            "naf_codes": forms.Textarea(attrs={"rows": 2}),
            "rome_codes": forms.Textarea(attrs={"rows": 2}),
            "nsf_codes": forms.Textarea(attrs={"rows": 2}),
            "keywords": forms.Textarea(attrs={"rows": 2}),
            "synonyms": forms.Textarea(attrs={"rows": 8}),
        }
