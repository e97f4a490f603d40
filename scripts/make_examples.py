"""Build the example packages in decisions/ from the public seed documents.

Run: python scripts/make_examples.py [--out decisions]

The texts are excerpts of two real, public decisions (Kiesraad 2024, Woo; BZK 2018, Wob). Personal
data was already removed in the sources; redactions are drawn as real black boxes with the ground
code on them and no text beneath. The output is deterministic: running it twice gives identical files.

Two more packages are made from seed documents 003 (a Kamerbrief, type ``kamerstuk``) and 004
(Kamervragen 2022Z06465 with their answers, type ``kamervragen``), read from the shared seed folder
(``../shared/seeds`` or ``$WOO_SEEDS``). A fresh clone has no seed folder: those two packages are
committed and only regenerated when the seeds are present.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pdfdraw import write_pdf

KIESRAAD_LETTER = [
    "# Besluit op uw Woo-verzoek d.d. 3 april 2024",
    "Ons kenmerk 2024-0000034173. Datum 29 april 2024. Inlichtingen [[5.1.2.e]] [[5.1.2.i]]",
    "Geachte [[5.1.2.e]],",
    "Op 3 april 2024 heeft u een verzoek om openbaarmaking van informatie als bedoeld in artikel 4.1 van de Wet open overheid (Woo) gedaan.",
    "# Uw verzoek",
    "In dit verzoek van 3 april 2024, op diezelfde dag door mij ontvangen, heeft u de Kiesraad per e-mail gevraagd informatie openbaar te maken over de vastgelegde communicatie over en procedures ten aanzien van (vermeende) datalekken in de periode 1 januari 2020 tot en met 31 december 2021, documenten over procedures en beleid ten aanzien van datalekken en audits ter voorkoming van datalekken.",
    "# Er zijn documenten aangetroffen",
    "Op basis van uw verzoek zijn vier (4) documenten aangetroffen. Deze documenten zijn genoemd in de inventarislijst in bijlage 2 bij deze brief.",
    "# Besluit",
    "Ik besluit de documenten waarin de door u opgevraagde informatie staat openbaar te maken met uitzondering van de persoonsgegevens die daarin staan en van een functioneel intern e-mailadres. In de documenten is deze informatie aangeduid met de afkorting 5.1.2.e en met 5.1.2.i.",
    "# Overwegingen",
    "Op grond van artikel 5.1, tweede lid, aanhef en onder e, van de Woo kan ik geen informatie openbaar maken als dit de persoonlijke levenssfeer schaadt en dit belang zwaarder weegt dan het belang van openbaarheid. Het gaat om persoonsgegevens die te herleiden zijn tot een persoon zoals namen, e-mailadressen en telefoonnummers van medewerkers.",
    "Op grond van artikel 5.1, tweede lid, aanhef en onder i, van de Woo maak ik de gegevens van een terugkerend functioneel e-mailadres niet openbaar. Het gaat om het e-mailadres om (onder andere) melding te maken van een datalek.",
    "# Wijze van openbaarmaking",
    "De documenten die (gedeeltelijk) openbaar worden, worden samen met deze brief (na onleesbaar maken van persoonsgegevens) op de website van de Kiesraad gepubliceerd.",
    "# Niet eens met het besluit?",
    "Op grond van de Algemene wet bestuursrecht kan een belanghebbende tegen dit besluit binnen 6 weken na de dag waarop het is bekendgemaakt een bezwaarschrift indienen bij de Kiesraad.",
    "Met vriendelijke groet, De Kiesraad, voor deze, [[5.1.2.e]] voorzitter",
]

WOO_ARTICLES = [
    "# Artikel 1.1 Recht op toegang",
    "Eenieder heeft recht op toegang tot publieke informatie zonder daartoe een belang te hoeven stellen, behoudens bij deze wet gestelde beperkingen.",
    "# Artikel 5.1 Uitzonderingen",
    "2. Het openbaar maken van informatie blijft eveneens achterwege voor zover het belang daarvan niet opweegt tegen de volgende belangen: e) de eerbiediging van de persoonlijke levenssfeer; i) het goed functioneren van de Staat, andere publiekrechtelijke lichamen of bestuursorganen.",
]

KIESRAAD_DOCS = [
    (
        "1",
        "E-mail melding vermeend datalek",
        "2020-03-12",
        "deels openbaar",
        "5.1.2.e; 5.1.2.i",
        [
            "# Melding vermeend datalek",
            "Van: [[5.1.2.e]] Aan: [[5.1.2.i]]",
            "Onderwerp: melding datalek verkiezingsuitslagen",
            "Vandaag is per abuis een e-mail met een overzicht van contactgegevens van gemeenten naar een verkeerde ontvanger gestuurd. De ontvanger is gevraagd de e-mail te verwijderen.",
            "Met vriendelijke groet, [[5.1.2.e]]",
        ],
    ),
    (
        "2",
        "Datalekregister 2020-2021",
        "2021-12-31",
        "deels openbaar",
        "5.1.2.e",
        [
            "# Datalekregister 2020-2021",
            "Melding 2020-01: e-mail aan verkeerde ontvanger; geen melding aan de Autoriteit Persoonsgegevens nodig. Behandelaar [[5.1.2.e]].",
            "Melding 2021-01: verlies van een usb-stick met vergaderstukken; risico beoordeeld als laag. Behandelaar [[5.1.2.e]].",
        ],
    ),
    (
        "3",
        "Mailwisseling met printscreen postbus",
        "2021-06-08",
        "deels openbaar",
        "5.1.2.e; 5.1.2.i",
        [
            "# Mailwisseling datalek",
            "Van: [[5.1.2.e]] Aan: [[5.1.2.i]]",
            "Zie het printscreen van de postbus hieronder.",
            "[[5.1.2.i]] [[5.1.2.i]] [[5.1.2.i]] [[5.1.2.i]]",
            "Graag afhandelen volgens de procedure datalekken.",
        ],
    ),
    (
        "4",
        "Procedure melden datalekken Kiesraad",
        "2019-11-01",
        "openbaar",
        "",
        [
            "# Procedure melden datalekken",
            "Een medewerker die een (vermoedelijk) datalek ontdekt, meldt dit direct bij de functionaris gegevensbescherming via het meldpunt.",
            "De functionaris beoordeelt binnen 72 uur of een melding aan de Autoriteit Persoonsgegevens nodig is en legt elk datalek vast in het datalekregister.",
        ],
    ),
]

BZK_LETTER = [
    "# Beslissing op uw Wob-verzoek",
    "Kenmerk 2018-0000791076. Datum 2 oktober 2018.",
    "Geachte [[10.2.e]],",
    "Bij brief van 27 juni 2018 heeft u bij mijn ministerie een verzoek ingediend als bedoeld in artikel 3, eerste lid, van de Wet openbaarheid van bestuur (hierna: Wob). Uw verzoek heeft betrekking op informatie met betrekking tot het gebruik van WhatsApp-berichten en andere chat-systemen door ambtenaren en eventuele instructies of adviezen daarvoor.",
    "# Achtergrond",
    "Binnen de reikwijdte van dit Wob-verzoek vallen documenten met betrekking tot de totstandkoming en communicatie omtrent twee aanvullende beleidslijnen die voor de Rijksdienst zijn vastgesteld: de beleidslijn Documentbegrip, vastgesteld op 13 december 2017, en de rijksbrede beleidslijn Berichtenapps, vastgesteld op 7 februari 2018.",
    "De kern van de beleidslijn Berichtenapps is dat het wordt ontraden om berichtenapps te gebruiken voor communicatie over bestuurlijke aangelegenheden.",
    "# Inventarisatie documenten",
    "Op basis van uw verzoek zijn in totaal 17 documenten aangetroffen. Deze documenten zijn opgenomen in een inventarislijst, die als bijlage 2 bij dit besluit is gevoegd.",
    "# Besluit",
    "Ik heb besloten uw verzoek gedeeltelijk te honoreren, met uitzondering van informatie waarvoor geldt dat het belang van openbaarmaking niet opweegt tegen het belang van bescherming van de persoonlijke levenssfeer (artikel 10, tweede lid, onder e), het voorkomen van onevenredige bevoordeling of benadeling (artikel 10, tweede lid, onder g) en persoonlijke beleidsopvattingen in documenten voor intern beraad (artikel 11, eerste lid).",
    "Het document met nummer 3 en de documenten met nummers 4 en 12 maak ik niet openbaar omdat zij persoonlijke beleidsopvattingen bevatten in stukken bestemd voor intern beraad.",
    "Hoogachtend, De minister van Binnenlandse Zaken en Koninkrijksrelaties, namens deze, [[10.2.e]] Secretaris-generaal",
]

WOB_ARTICLES = [
    "# Artikel 10",
    "2. Het verstrekken van informatie ingevolge deze wet blijft eveneens achterwege voor zover het belang daarvan niet opweegt tegen de volgende belangen: e. de eerbiediging van de persoonlijke levenssfeer; g. het voorkomen van onevenredige bevoordeling of benadeling van bij de aangelegenheid betrokken natuurlijke personen of rechtspersonen dan wel van derden.",
    "# Artikel 11",
    "1. In geval van een verzoek om informatie uit documenten, opgesteld ten behoeve van intern beraad, wordt geen informatie verstrekt over daarin opgenomen persoonlijke beleidsopvattingen.",
]

BZK_ROWS = [
    ("1", "Verslag SGO vaststelling beleidslijn Documentbegrip", "2017-12-14", "Deels openbaar", "10.2.e"),
    ("2", "Verslag SGO actualiteiten", "2018-01-11", "Deels openbaar", "10.2.e; 11.1"),
    ("3", "Verslag vooroverleg CIO-beraad", "2018-01-24", "Niet openbaar", "11.1"),
    ("4", "Diverse e-mails voor afstemming inhoud adviesnotitie berichtenapps", "2018-01-29", "Niet openbaar", "11.1"),
    ("5", "Agenda CTO-raad", "2018-01-22", "Deels openbaar", "10.2.e"),
    ("6", "Adviesnotitie gebruik berichtenapps van CTO-raad", "2018-02-02", "Deels openbaar", "10.2.e; 11.1"),
    ("7", "Verslag CTO-raad", "2018-01-31", "Deels openbaar", "10.2.e; 11.1"),
    ("8", "Agenda CIO-beraad", "2018-02-01", "Deels openbaar", "10.2.e"),
    ("9", "CIO-beraad aanbiedingsformulier", "2018-02-02", "Deels openbaar", "10.2.e; 11.1"),
    ("10", "Notitie gebruik en keuze berichtenapps CIO-beraad", "2018-02-02", "Deels openbaar", "10.2.e; 10.2.g en 11.1"),
    ("11", "Verslag CIO-beraad", "2018-02-07", "Deels openbaar", "10.2.e; 11.1"),
    ("12", "Diverse e-mails ter vaststelling definitieve beleidslijn berichtenapps", "2018-02-08", "Niet openbaar", "11.1"),
    ("13", "Mail aan ICBR met beleidslijn", "2018-02-09", "Deels openbaar", "10.2.e"),
    ("14", "Notitie voor- en nadelen als bijlage bij de mail", "2018-02-09", "Deels openbaar", "10.2.e; 10.2.g"),
    ("15", "Mail aan SGO met beleidslijn", "2018-02-09", "Deels openbaar", "10.2.e"),
    ("16", "Mail aan CIO-beraad met beleidslijn", "2018-02-09", "Deels openbaar", "10.2.e"),
    ("17", "Beleidslijn op website programma Rijk aan Informatie", "2018-02-07", "Reeds openbaar", "-"),
]

BZK_TEXTS = {
    "1": [
        "# Verslag SGO Voorportaal",
        "Vergaderdatum 13 december 2017, Catshuis. Aanwezig [[10.2.e]]",
        "SGBZK stelt voor een beleidslijn te hanteren over de omgang met de Wob na de uitspraak van de rechtbank Midden-Nederland. De beleidslijn Documentbegrip is vastgesteld: informatie van de gegevensdragers sms en WhatsApp, die zich kenmerken als dragers van informatie van vluchtige aard, worden niet aangemerkt als documenten onder de Wob.",
    ],
    "2": [
        "# Verslag SGO Actualiteiten",
        "Vergaderdatum 10 januari 2018, Blauwe Zaal. Aanwezig [[10.2.e]]",
        "SGAZ roept zijn collega's op om in plaats van WhatsApp gebruik te maken van Signal. [[11.1]]",
    ],
    "5": [
        "# Agenda CTO-raad",
        "Vergaderdatum 31 januari 2018. Deelnemers [[10.2.e]]",
        "Ter bespreking: gebruik berichtenapps en social media.",
    ],
    "6": [
        "# Nota gebruik berichtenapps",
        "Aan CIO-beraad, van CTO-raad. Contactpersoon [[10.2.e]]",
        "Het NBV heeft op verzoek van de ministeries van BZ en AZ een onderzoek gedaan naar de veiligheid van de berichtenapp Signal voor veilige chatcommunicatie. [[11.1]]",
        "De CTO-raad acht het niet zinvol om te komen tot een expliciete keuze voor het gebruik van één bepaalde berichtenapp.",
    ],
    "7": [
        "# Verslag CTO-raad",
        "Vergaderdatum 31 januari 2018. Aanwezig [[10.2.e]]",
        "De notitie over berichtenapps is besproken. [[11.1]]",
    ],
    "8": [
        "# Agenda CIO-beraad",
        "Vergaderdatum 7 februari 2018. Deelnemers [[10.2.e]]",
        "Agendapunt: gebruik berichtenapps binnen de Rijksdienst.",
    ],
    "9": [
        "# Aanbiedingsformulier CIO-beraad",
        "Indiener [[10.2.e]]",
        "Onderwerp: gebruik en keuze berichtenapps. Gevraagd besluit: vaststellen van de beleidslijn. [[11.1]]",
    ],
    "10": [
        "# Notitie gebruik en keuze berichtenapps",
        "Opsteller [[10.2.e]]",
        "Vergelijking van berichtenapps op beveiliging en bruikbaarheid: [[10.2.g]] [[10.2.g]]",
        "Advies: [[11.1]]",
    ],
    "11": [
        "# Verslag CIO-beraad",
        "Vergaderdatum 7 februari 2018. Aanwezig [[10.2.e]]",
        "Het CIO-beraad stelt de rijksbrede beleidslijn berichtenapps vast: het wordt ontraden berichtenapps te gebruiken voor communicatie over bestuurlijke aangelegenheden. [[11.1]]",
    ],
    "13": [
        "# Mail aan ICBR met beleidslijn",
        "Van [[10.2.e]] Aan ICBR",
        "Hierbij de vastgestelde beleidslijn berichtenapps ter informatie.",
    ],
    "14": [
        "# Notitie voor- en nadelen berichtenapps",
        "Voordelen en nadelen per app: [[10.2.g]] [[10.2.g]] [[10.2.g]]",
        "Conclusie: de departementen kiezen zelf welke berichtenapp gebruikt mag worden.",
    ],
    "15": ["# Mail aan SGO met beleidslijn", "Van [[10.2.e]] Aan SGO", "Hierbij de vastgestelde beleidslijn berichtenapps."],
    "16": [
        "# Mail aan CIO-beraad met beleidslijn",
        "Van [[10.2.e]] Aan CIO-beraad",
        "Hierbij de vastgestelde beleidslijn berichtenapps, ter verspreiding binnen de departementen.",
    ],
}


def kiesraad(root: Path) -> None:
    pkg = root / "2024-0000034173-kiesraad-datalekken"
    write_pdf(pkg / "besluitbrief.pdf", KIESRAAD_LETTER, "Kiesraad")
    write_pdf(pkg / "bijlagen/bijlage-1-relevante-artikelen-woo.pdf", WOO_ARTICLES, "Bijlage 1 - Relevante artikelen uit de Woo")
    rows = []
    for nr, title, date, assessment, grounds, blocks in KIESRAAD_DOCS:
        path = f"documenten/{nr}-{title.lower().replace(' ', '-')}.pdf"
        write_pdf(pkg / path, blocks)
        rows.append([nr, title, date, assessment, grounds, path])
    with (pkg / "inventaris.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["Nr.", "Documentnaam", "Datum", "Beoordeling", "Weigeringsgrond(en)", "Bestandsnaam"])
        writer.writerows(rows)
    (pkg / "besluit.md").write_text(
        """---
kenmerk: 2024-0000034173
titel: Communicatie en procedures over (vermeende) datalekken
organisatie: Kiesraad
wet: Woo
besluit: deels openbaar
besluit_datum: 2024-04-29
publicatie_datum: 2024-05-13
verzoek_ontvangen: 2024-04-03
periode: {van: 2020-01-01, tot: 2021-12-31}
onderwerpen: [datalekken, privacy, informatiebeveiliging]
besluitbrief: besluitbrief.pdf
bijlagen:
  - titel: Bijlage 1 - Relevante artikelen uit de Woo
    bestand: bijlagen/bijlage-1-relevante-artikelen-woo.pdf
inventaris: inventaris.csv
---
Op 3 april 2024 vroeg een verzoeker de Kiesraad om alle vastgelegde communicatie over concrete
gevallen van (vermeende) datalekken in 2020 en 2021, de procedures en het beleid rond datalekken en
audits ter voorkoming ervan.

De Kiesraad vond **vier documenten** en maakt ze openbaar, met uitzondering van:

- persoonsgegevens van medewerkers (artikel 5.1, tweede lid, onder e, Woo);
- een functioneel intern e-mailadres en een printscreen van een postbus (artikel 5.1, tweede lid, onder i, Woo).
""",
        encoding="utf-8",
    )


def bzk(root: Path) -> None:
    from openpyxl import Workbook

    pkg = root / "2018-0000791076-bzk-berichtenapps"
    write_pdf(pkg / "besluitbrief.pdf", BZK_LETTER, "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    write_pdf(pkg / "bijlage-1-relevante-artikelen-wob.pdf", WOB_ARTICLES, "Bijlage 1 - Relevante artikelen uit de Wob")
    wb = Workbook()
    ws = wb.active
    ws.title = "Inventarislijst"
    ws.append(["Nr.", "Document", "Datum", "Beoordeling", "Wob", "Bestand", "Publieke link"])
    for nr, title, date, assessment, grounds in BZK_ROWS:
        path = link = None
        if nr in BZK_TEXTS:
            path = f"documenten/document-{int(nr):02d}.pdf"
            write_pdf(pkg / path, BZK_TEXTS[nr])
        if assessment == "Reeds openbaar":
            link = "https://www.rijksoverheid.nl/onderwerpen/informatiehuishouding-rijksoverheid"
        ws.append([f"{nr}.", title, date, assessment, grounds, path, link])
    import datetime as dt

    from publish.xlsx import reproducible_xlsx

    (pkg / "inventaris.xlsx").write_bytes(reproducible_xlsx(wb, dt.datetime(2018, 10, 2, 12, 0, 0)))
    (pkg / "besluit.md").write_text(
        """---
kenmerk: "2018-0000791076"
titel: Gebruik van WhatsApp en andere berichtenapps door ambtenaren
organisatie: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
wet: Wob
besluit: deels openbaar
besluit_datum: 2018-10-02
publicatie_datum: "2018-10-09"
verzoek_ontvangen: 2018-06-27
onderwerpen:
  - berichtenapps
  - informatiehuishouding
  - WhatsApp
besluitbrief: besluitbrief.pdf
bijlagen:
  - titel: Bijlage 1 - Relevante artikelen uit de Wob
    bestand: bijlage-1-relevante-artikelen-wob.pdf
inventaris: inventaris.xlsx
---
Een verzoeker vroeg in juni 2018 om alle documenten over het gebruik van WhatsApp en andere
chatsystemen door ambtenaren: agenda's, vergaderstukken, besluiten, verslagen en overige stukken.

Er zijn **17 documenten** gevonden over de beleidslijnen *Documentbegrip* (13 december 2017) en
*Berichtenapps* (7 februari 2018). Dertien documenten worden deels openbaar gemaakt, drie blijven
geheel geheim vanwege persoonlijke beleidsopvattingen (artikel 11, eerste lid, Wob) en één
document was al openbaar.
""",
        encoding="utf-8",
    )


ROOT = Path(__file__).resolve().parent.parent


def seed(number: str) -> str | None:
    """The text of seed document ``number`` (e.g. "003"), or None when the seed folder is absent."""
    import os

    folders = [Path(os.environ["WOO_SEEDS"])] if os.environ.get("WOO_SEEDS") else []
    folders += [ROOT.parent / "shared" / "seeds", ROOT.parent.parent / "shared" / "seeds"]
    for folder in folders:
        found = sorted(folder.glob(f"{number}_*.txt")) if folder.is_dir() else []
        if found:
            return found[0].read_text(encoding="utf-8")
    return None


def _clean(line: str) -> str:
    return re.sub(r"\[bookmark: [^\]]*\]", "", line).replace("\u00a0", " ").strip()


def kamerbrief(root: Path, text: str) -> Path:
    """Seed 003: the letter of the State Secretary of BZK on civil servants' personal data."""
    lines = [_clean(line) for line in text.splitlines()]
    end = next(i for i, line in enumerate(lines) if line.startswith("Hoogachtend"))
    blocks = [
        "# Persoonsgegevens van ambtenaren in het publiek domein",
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal. Onderwerp: toezeggingen over persoonsgegevens van ambtenaren in het publiek domein.",
    ]
    for line in lines[:end]:
        if not line:
            continue
        heading = not line.endswith((".", ":", "?")) and len(line) < 200
        blocks.append(("# " if heading else "") + line)
    # Signed by the office: the letter names the state secretary (a public office holder), never a civil servant.
    blocks += ["Hoogachtend,", "De Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties"]
    pkg = root / "2025-kamerbrief-persoonsgegevens-ambtenaren"
    write_pdf(pkg / "kamerbrief.pdf", blocks, "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    (pkg / "besluit.md").write_text(
        """---
type: kamerstuk
kenmerk: 2025-kamerbrief-persoonsgegevens-ambtenaren
titel: Persoonsgegevens van ambtenaren in het publiek domein
organisatie: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
datum: 2025-06-27
publicatie_datum: 2025-06-30
geadresseerde: Voorzitter van de Tweede Kamer der Staten-Generaal
onderwerp: Toezeggingen over persoonsgegevens van ambtenaren in het publiek domein
ondertekenaar: De staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties
brief: kamerbrief.pdf
onderwerpen: [privacy, ambtenaren, persoonsgegevens]
---
De staatssecretaris informeert de Tweede Kamer over de aanpak van het delen van persoonsgegevens
van ambtenaren in het publiek domein, zoals toegezegd in het mondelinge vragenuur van 26 mei.

- Ambtenaren moeten hun werk kunnen doen zonder angst voor intimidatie of sancties; de
  rijksoverheid beschermt hen als werkgever.
- Departementen worden ondersteund bij hun zorgplicht; maatregelen van de ACM en de AP (algemene
  mailboxen, geen namen van medewerkers in brieven) worden mogelijk rijksbreed ingevoerd.
- Een gesprek met de Amerikaanse ambassadeur staat gepland; de Kamer krijgt daarna een brief.
""",
        encoding="utf-8",
    )
    return pkg


def _footnotes(text: str) -> str:
    """The seed writes footnote numbers straight after the text ("werk?1"); Markdown wants [^1]."""
    return re.sub(r"(?<=[a-z?.])(\d{1,2})(?=[.,;]?(\s|$))", r"[^\1]", text)


def kamervragen(root: Path, text: str) -> Path:
    """Seed 004: Kamervragen 2022Z06465 on private messaging and mail of ministers, with the answers."""
    body = text.split("Bron antwoord", 1)[1].split("\n", 1)[1]
    body = body.split("Kamervraag document nummer:", 1)[0]
    parts = re.split(r"^\s*•\s*Vraag\s+(\d+)\s*$", body, flags=re.M)
    markdown, blocks, used = [], ["# Antwoord op vragen van de leden Dassen, Omtzigt en Klaver (2022Z06465)"], []
    for i in range(1, len(parts) - 1, 2):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", parts[i + 1].strip()) if p.strip()]
        question = " ".join(paragraphs[0].split())
        answer = [" ".join(p.split()) for p in paragraphs[1:]]
        answer = [line for p in answer for line in [p]]
        markdown += [f"## Vraag {parts[i]}", "", _footnotes(question), "", "### Antwoord", ""]
        for paragraph in "\n".join(paragraphs[1:]).split("\n"):
            if paragraph.strip():
                markdown += [_footnotes(" ".join(paragraph.split())), ""]
        blocks += (
            [f"# Vraag {parts[i]}", question]
            + ["# Antwoord"]
            + [" ".join(p.split()) for p in "\n".join(paragraphs[1:]).split("\n") if p.strip()]
        )
        used += re.findall(r"\[\^(\d+)\]", "\n".join(markdown))
    notes = sorted(set(used), key=int)
    markdown += [f"[^{n}]: Voetnoot {n} van de officiële antwoordbrief; de bron staat in de pdf." for n in notes]
    pkg = root / "2022Z06465-kamervragen-berichtenapps-bewindspersonen"
    write_pdf(pkg / "antwoord.pdf", blocks, "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties")
    (pkg / "besluit.md").write_text(
        """---
type: kamervragen
kenmerk: 2022Z06465
titel: Het gebruik van privé berichtenservices en privé mailboxen door bewindspersonen voor hun werk
organisatie: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
vraagnummer: 2022Z06465
datum_gesteld: 2022-04-04
datum_beantwoord: 2022-04-07
publicatie_datum: 2022-04-08
vragenstellers:
  - Pieter Omtzigt (Omtzigt)
  - Jesse Klaver (GL)
  - Laurens Dassen (Volt)
beantwoord_door:
  - Mark Rutte (minister-president, minister van Algemene Zaken)
  - Hanke Bruins Slot (minister van Binnenlandse Zaken en Koninkrijksrelaties)
antwoord: antwoord.pdf
onderwerpen: [berichtenapps, informatiehuishouding, Wob]
---
"""
        + "\n".join(markdown).rstrip()
        + "\n",
        encoding="utf-8",
    )
    return pkg


DEMO_KEYS = Path(__file__).resolve().parent.parent / "demo" / "sleutels"


def approve_with_demo_key(package: Path, when: str) -> None:
    """Sign the example with the DEMONSTRATION key (demo/sleutels/README.md: never for real use).
    Ed25519 signatures are deterministic, so with a fixed time the record is byte-identical each run."""
    import datetime as dt
    import tempfile

    from publish.approval import write_approval
    from publish.signing import private_copy

    with tempfile.TemporaryDirectory() as tmp:
        key = private_copy(DEMO_KEYS / "demo-ondertekenaar", Path(tmp))
        write_approval(package, key, DEMO_KEYS / "toegestane-ondertekenaars", now=dt.datetime.fromisoformat(when))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="decisions", type=Path)
    args = parser.parse_args()
    kiesraad(args.out)
    bzk(args.out)
    approve_with_demo_key(args.out / "2024-0000034173-kiesraad-datalekken", "2024-04-30T09:00:00+00:00")
    approve_with_demo_key(args.out / "2018-0000791076-bzk-berichtenapps", "2018-10-08T09:00:00+00:00")
    for number, make, when in (
        ("003", kamerbrief, "2025-06-28T09:00:00+00:00"),
        ("004", kamervragen, "2022-04-07T12:00:00+00:00"),
    ):
        text = seed(number)
        if text is None:
            print(f"Seed {number} niet gevonden: het voorbeeldpakket daarvan is niet opnieuw gemaakt.", file=sys.stderr)
        else:
            approve_with_demo_key(make(args.out, text), when)
    print(f"Voorbeeldpakketten geschreven in {args.out}/")


if __name__ == "__main__":
    main()
