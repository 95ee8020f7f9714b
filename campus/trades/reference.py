"""Reference data typed from official sources: métiers d'art domains and ROME labels.

Métiers d'art
-------------
Source: arrêté du 24 décembre 2015 fixant la liste des métiers d'art, published
in the Journal officiel on 31 January 2016 (it replaced the arrêté du 12 décembre
2003). The list holds 198 métiers and 83 spécialités in 16 domaines.

- The 16 domains are complete, in the order of the arrêté. "Arts de la table"
  is not one of them: the 2015 text has 16 domains, listed below.
- Trades of the Cuir domain, and the leather-related trades of Mode et
  accessoires, were typed without access to the Légifrance annex (this machine
  is offline). They are the métiers that the project is confident are on the
  2015 list; the Cuir domain must be checked line by line against the annex
  before it is called complete. The spécialités are not transcribed.
- Other domains have no trades here; the team adds them in the admin.

ROME
----
Labels of the ROME 4.0 fiches (référentiel v460, France Travail) for the codes
the leather sector uses. They name the codes shown on trade pages.
"""

CRAFT_DOMAINS = [
    ("architecture-et-jardins", "Architecture et jardins"),
    ("ameublement-et-decoration", "Ameublement et décoration"),
    ("luminaire", "Luminaire"),
    (
        "bijouterie-joaillerie-orfevrerie-horlogerie",
        "Bijouterie, joaillerie, orfèvrerie et horlogerie",
    ),
    ("metal", "Métal"),
    ("ceramique", "Céramique"),
    ("verre-et-cristal", "Verre et cristal"),
    ("tabletterie", "Tabletterie"),
    ("mode-et-accessoires", "Mode et accessoires"),
    ("textile", "Textile"),
    ("cuir", "Cuir"),
    ("spectacle", "Spectacle"),
    ("papier-graphisme-impression", "Papier, graphisme et impression"),
    ("jeux-jouets-ouvrages-mecaniques", "Jeux, jouets et ouvrages mécaniques"),
    ("facture-instrumentale", "Facture instrumentale"),
    ("restauration", "Restauration"),
]

# (slug, name, domain slug, ROME codes)
CRAFT_TRADES = [
    ("bottier", "Bottier", "cuir", "D1206"),
    ("gainier", "Gainier", "cuir", "H2416"),
    ("gantier", "Gantier", "cuir", "B1802"),
    ("malletier", "Malletier", "cuir", "B1802"),
    ("maroquinier", "Maroquinier", "cuir", "B1802"),
    ("parcheminier", "Parcheminier", "cuir", "H2407"),
    ("sellier-harnacheur", "Sellier-harnacheur", "cuir", "B1809"),
    ("tanneur", "Tanneur", "cuir", "H2407"),
    ("megissier", "Mégissier", "cuir", "H2407"),
    ("formier", "Formier", "mode-et-accessoires", ""),
    ("restaurateur-de-cuirs", "Restaurateur de cuirs", "restauration", "B1802"),
]

ROME_LABELS = {
    "B1601": "Métallier / Métallière d'art",
    "B1603": "Opérateur / Opératrice en bijouterie",
    "B1605": "Bijoutier / Bijoutière",
    "B1802": "Maroquinier / Maroquinière",
    "B1809": "Sellier / Sellière",
    "B1810": "Fourreur / Fourreuse",
    "B1811": "Sellier-garnisseur / Sellière-garnisseuse",
    "D1206": "Cordonnier / Cordonnière",
    "H1240": "Agent / Agente de finissage couleurs et effets cuirs et peaux",
    "H2401": "Opérateur / Opératrice de fabrication industrie des cuirs",
    "H2407": (
        "Opérateur / Opératrice sur machine de transformation et de finition "
        "des cuirs et peaux"
    ),
    "H2411": "Monteur / Monteuse prototypiste cuir et matériaux souples",
    "H2414": "Opérateur / Opératrice de préparation ou de finition sur articles de cuirs",
    "H2416": "Gainier industriel / Gainière industrielle",
}
