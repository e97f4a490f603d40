"""The published copy keeps what makes a PDF accessible and navigable and drops what can identify
people; text kept but not drawn (bookmarks, labels, tags, link descriptions) is checked too.

Source PDFs are drawn with reportlab (outlines, page labels, links) and given a tag structure,
document language, PDF/A identification and leftovers (comments, metadata, scripts) with pikepdf,
the way authoring tools write them. Every assertion reads the copy back with pypdf or pikepdf.
"""

from __future__ import annotations

import io

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from publish.gate.copy import CopyError, published_copy
from publish.gate.structure import revisions
from publish.pdfs import _inspect_bytes

AUTHOR = "Jan Ambtenaar-Verstappen"


def _save(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _reportlab(pages: int = 3, outline_titles=None, label_prefix: str = "B-", link_text: str | None = None) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setAuthor(AUTHOR)
    c.setTitle("Concept van " + AUTHOR)
    titles = outline_titles or [f"Hoofdstuk {i + 1}" for i in range(pages)]
    for i in range(pages):
        c.setFont("Helvetica", 11)
        c.drawString(72, 780, f"Hoofdstuk {i + 1}: gewone tekst op pagina {i + 1}.")
        c.bookmarkPage(f"h{i}")
        c.addOutlineEntry(titles[i], f"h{i}", level=0)
        if i == 0:
            c.linkURL("https://www.example.nl/besluit", (72, 700, 250, 720), relative=0)
        c.showPage()
    c.addPageLabel(0, "ROMAN_LOWER")
    c.addPageLabel(1, "ARABIC", 1, prefix=label_prefix)
    c.save()
    data = out.getvalue()
    if link_text is None:
        return data
    pdf = pikepdf.open(io.BytesIO(data))
    for annot in pdf.pages[0].Annots:
        annot.Contents = String(link_text)
    return _save(pdf)


def _xmp(pdfa: bool) -> bytes:
    claim = 'pdfaid:part="2" pdfaid:conformance="A"' if pdfa else ""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:xmp="http://ns.adobe.com/xap/1.0/" {claim} xmp:CreatorTool="Word voor {AUTHOR}">'
        f"<dc:creator><rdf:Seq><rdf:li>{AUTHOR}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
        '</x:xmpmeta><?xpacket end="w"?>'
    ).encode("utf-8")


def tagged(pdfa: bool = True, **kw) -> bytes:
    """A tagged, bookmarked, labelled PDF in Dutch with a comment, XMP and scripts left in."""
    pdf = pikepdf.open(io.BytesIO(_reportlab(**kw)))
    root = pdf.Root
    root.Lang = String("nl-NL")
    root.MarkInfo = Dictionary(Marked=True)
    tree = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, RoleMap=Dictionary(Kop=Name.H1)))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
    tree.K = document
    for page in pdf.pages:
        heading = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/Kop"), P=document, Pg=page.obj, K=0))
        document.K.append(heading)
    comment = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Text,
            Rect=[10, 10, 30, 30],
            Contents=String("Let op: vraag " + AUTHOR),
            T=String(AUTHOR),
        )
    )
    pdf.pages[1].Annots = pdf.make_indirect(Array([comment]))
    annot_elem = pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name.Annot,
            P=document,
            Pg=pdf.pages[1].obj,
            K=Dictionary(Type=Name.OBJR, Obj=comment, Pg=pdf.pages[1].obj),
        )
    )
    document.K.append(annot_elem)
    root.StructTreeRoot = tree
    root.Metadata = pdf.make_stream(_xmp(pdfa))
    image = pdf.make_stream(
        b"\x00\x00\x00", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1, ColorSpace=Name.DeviceRGB, BitsPerComponent=8
    )
    image.Metadata = pdf.make_stream(_xmp(False))
    pdf.pages[0].Resources.XObject = Dictionary(Im9=image)
    pdf.pages[0].PieceInfo = Dictionary(Word=Dictionary(Private=String(AUTHOR)))
    pdf.pages[0].Thumb = pdf.make_stream(b"\x00" * 3, Width=1, Height=1, ColorSpace=Name.DeviceRGB, BitsPerComponent=8)
    return _save(pdf)


def test_tagged_pdf_keeps_tags_language_bookmarks_page_labels_and_links():
    source = tagged()
    copy = published_copy(source)
    reader = PdfReader(io.BytesIO(copy))
    assert [o.title for o in reader.outline] == ["Hoofdstuk 1", "Hoofdstuk 2", "Hoofdstuk 3"]
    assert reader.page_labels == ["i", "1", "2"]  # the prefix "B-" goes (free text, round 9 A15/A16); the style stays
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert str(pdf.Root.Lang) == "nl-NL"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        tree = pdf.Root.StructTreeRoot
        assert Name.RoleMap not in tree  # the document's own type /Kop became what it maps to (round 9 A15/A16)
        kinds = [str(kid.S) for kid in tree.K.K]
        assert kinds == ["/H1", "/H1", "/H1", "/Annot"]
        assert Name.K not in tree.K.K[3]  # the dropped comment is not reachable through the tags
        links = [a for a in pdf.pages[0].Annots]
        assert [str(a.Subtype) for a in links] == ["/Link"] and str(links[0].A.URI) == "https://www.example.nl/besluit"
        assert Name.Annots not in pdf.pages[1]
        assert pdf.is_linearized


def test_pdfa_source_keeps_only_the_pdfa_identification():
    copy = published_copy(tagged(pdfa=True))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
        assert b"<pdfaid:part>2</pdfaid:part>" in xmp and b"<pdfaid:conformance>A</pdfaid:conformance>" in xmp
        for other in (b"dc:", b"xmp:", b"CreatorTool", b"Word", AUTHOR.encode()):
            assert other not in xmp
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2A"
    without = published_copy(tagged(pdfa=False))
    with pikepdf.open(io.BytesIO(without)) as pdf:
        assert Name.Metadata not in pdf.Root


def test_copy_has_no_document_information_author_comments_or_page_data_anywhere():
    source = tagged()
    assert AUTHOR.encode() in source
    copy = published_copy(source)
    assert AUTHOR.encode() not in copy and b"Ambtenaar" not in copy
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert Name.Info not in pdf.trailer
        assert all(
            Name.Metadata not in obj
            for obj in pdf.objects
            if isinstance(obj, (Dictionary, pikepdf.Stream)) and obj is not None and obj.objgen != pdf.Root.objgen
        )
        page = pdf.pages[0].obj
        assert Name.PieceInfo not in page and Name.Thumb not in page
    reader = PdfReader(io.BytesIO(copy))
    assert reader.metadata is None
    # Inflated streams too: nothing of the author in any decoded stream.
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert AUTHOR.encode() not in obj.read_bytes()


def test_copy_is_linearised_single_revision_and_byte_identical():
    source = tagged()
    first, second = published_copy(source), published_copy(source)
    assert first == second
    assert revisions(first) == 1
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert pdf.is_linearized and len(pdf.trailer.ID) == 2
    # The copy the gate returns is this copy.
    result, published = _inspect_bytes(source)
    assert result["ok"] and published == first


def _with(change, source: bytes | None = None) -> bytes:
    pdf = pikepdf.open(io.BytesIO(source or _reportlab()))
    change(pdf)
    return _save(pdf)


def test_scripts_forms_attachments_and_other_actions_are_not_in_the_copy():
    def change(pdf):
        js = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('geheim');")))
        pdf.Root.OpenAction = js
        pdf.Root.AA = Dictionary(WC=js)
        pdf.Root.Names = Dictionary(
            JavaScript=Dictionary(Names=Array([String("a"), js])),
            EmbeddedFiles=Dictionary(
                Names=Array(
                    [
                        String("concept.docx"),
                        pdf.make_indirect(
                            Dictionary(
                                Type=Name.Filespec,
                                F=String("concept.docx"),
                                EF=Dictionary(F=pdf.make_stream(b"ONBEWERKT CONCEPT")),
                            )
                        ),
                    ]
                )
            ),
            Dests=Dictionary(Names=Array([String("start"), Array([pdf.pages[0].obj, Name.Fit])])),
        )
        pdf.Root.AcroForm = Dictionary(Fields=Array())
        launch = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], A=Dictionary(S=Name.Launch, F=String("cmd.exe"))
        )
        js_uri = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], A=Dictionary(S=Name.URI, URI=String("javascript:alert(1)"))
        )
        inside = Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], Dest=String("start"), T=String(AUTHOR), AA=Dictionary(E=js)
        )
        pdf.pages[1].Annots = Array([pdf.make_indirect(launch), pdf.make_indirect(js_uri), pdf.make_indirect(inside)])
        pdf.pages[1].AA = Dictionary(O=js)
        pdf.Root.Outlines.First.A = js

    copy = published_copy(_with(change))
    for leak in (b"app.alert", b"ONBEWERKT", b"cmd.exe", b"javascript:", AUTHOR.encode()):
        assert leak not in copy
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        for key in (Name.OpenAction, Name.AA, Name.AcroForm):
            assert key not in pdf.Root
        assert list(pdf.Root.Names.keys()) == ["/Dests"]
        annots = pdf.pages[1].Annots
        assert len(annots) == 1 and str(annots[0].Dest) == "d1" and Name.T not in annots[0]  # "start", renamed (round 8)
        assert Name.AA not in pdf.pages[1]
        assert Name.A not in pdf.Root.Outlines.First


def test_hidden_layer_stays_hidden_in_the_copy():
    def change(pdf):
        layer = pdf.make_indirect(
            Dictionary(Type=Name.OCG, Name=String("Onbewerkt"), Usage=Dictionary(CreatorInfo=Dictionary(Creator=String(AUTHOR))))
        )
        pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(BaseState=Name.OFF, OFF=Array([layer])))

    copy = published_copy(_with(change))
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        d = pdf.Root.OCProperties.D
        assert d.BaseState == Name.OFF and len(d.OFF) == 1 and str(d.OFF[0].Name) == "Onbewerkt"
    assert AUTHOR.encode() not in copy


def test_earlier_revision_text_is_not_in_the_copy():
    from pypdf import PdfWriter

    writer = PdfWriter(io.BytesIO(_reportlab(outline_titles=["Oude titel", "b", "c"])), incremental=True)
    writer.add_metadata({"/Title": "tweede versie"})
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert revisions(data) == 2
    copy = published_copy(data)
    assert revisions(copy) == 1 and b"tweede versie" not in copy
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert pdf.is_linearized


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n garbage", b"\x00" * 100])
def test_unreadable_input_raises_a_copy_error_not_a_crash(data):
    with pytest.raises(CopyError):
        published_copy(data)


def test_cycles_in_outlines_and_tags_do_not_hang():
    def change(pdf):
        first = pdf.Root.Outlines.First
        first.Next = first  # a bookmark that is its own successor
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P))
        elem.K = Array([elem, Dictionary(Type=Name.OBJR, Obj=elem)])
        pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=elem))
        pdf.Root.PageLabels = pdf.make_indirect(Dictionary())
        pdf.Root.PageLabels.Kids = Array([pdf.Root.PageLabels])

    data = _with(change)
    assert published_copy(data)
    result, _ = _inspect_bytes(data)
    assert result["ok"]


# -- text kept but not drawn ---------------------------------------------------------------------
def findings_of(data: bytes) -> list[dict]:
    result, _ = _inspect_bytes(data)
    assert result["ok"], result
    return result["findings"]


def personal(findings) -> list[dict]:
    return [f for f in findings if f["code"].startswith("pdf.persoonsgegeven") or f["code"] == "pdf.verborgen_tekst"]


def test_personal_data_in_bookmarks_page_labels_and_link_descriptions_is_refused():
    data = tagged(
        outline_titles=["Inleiding", "Gesprek met 06-12345678", "Slot"],
        label_prefix="111222333 ",
        link_text="Mail p.jansen@example.nl",
    )
    found = {(f["code"], f["location"]): f for f in personal(findings_of(data))}
    assert ("pdf.persoonsgegeven.telefoon", "document") in found
    assert "bladwijzer bevat een telefoonnummer: 06-*******8" in found[("pdf.persoonsgegeven.telefoon", "document")]["message"]
    assert "paginalabel bevat een burgerservicenummer" in found[("pdf.persoonsgegeven.bsn", "pagina 2")]["message"]
    link = found[("pdf.persoonsgegeven.email", "pagina 1")]
    assert "beschrijving van een link" in link["message"] and "p.jansen" not in link["message"]
    assert all(f["severity"] == "fout" for f in found.values())
    clean = tagged(link_text="Lees het besluit op de website")
    assert personal(findings_of(clean)) == []


def _marked(actual: str | None, drawn: str, alt: str | None = None, struct_actual: str | None = None) -> bytes:
    """A page with one marked-content sequence (MCID 0) drawing ``drawn``, with /ActualText or /Alt
    inline, or /ActualText on the tag (structure element) that owns the MCID."""
    pdf = pikepdf.open(io.BytesIO(_reportlab(pages=1)))
    page = pdf.pages[0]
    props = "<< /MCID 0"
    if actual is not None:
        props += " /ActualText (" + actual + ")"
    if alt is not None:
        props += " /Alt (" + alt + ")"
    props += " >>"
    shown = f"({drawn}) Tj" if drawn else "0 0 0 rg 100 600 80 14 re f"
    content = f"/Span {props} BDC BT /F1 11 Tf 100 600 Td {shown} ET EMC".encode("latin-1")
    font = page.Resources.Font
    name = list(font.keys())[0]
    content = content.replace(b"/F1", name.encode())
    page.contents_add(pdf.make_stream(content))
    elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Span, Pg=page.obj, K=0))
    if struct_actual is not None:
        elem.ActualText = String(struct_actual)
    pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=elem))
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    return _save(pdf)


def test_actualtext_that_differs_from_the_visible_text_is_refused_as_hidden_text():
    hidden = {f["code"]: f for f in findings_of(_marked("Jan de Vries", "gelakt"))}
    f = hidden["pdf.verborgen_tekst"]
    assert f["severity"] == "fout" and f["location"] == "pagina 1"
    assert "J** d* V****" in f["message"] and "Vries" not in f["message"]


def test_actualtext_left_on_a_removed_word_is_refused():
    assert "pdf.verborgen_tekst" in {f["code"] for f in findings_of(_marked("Jan de Vries", ""))}


def test_actualtext_on_the_tag_is_compared_with_the_text_it_owns():
    assert "pdf.verborgen_tekst" in {f["code"] for f in findings_of(_marked(None, "gelakt", struct_actual="Piet Jansen"))}
    assert "pdf.verborgen_tekst" not in {
        f["code"] for f in findings_of(_marked(None, "Woo-besluit", struct_actual="Woo besluit"))
    }


def test_actualtext_equal_to_the_visible_text_passes():
    assert personal(findings_of(_marked("Woo-besluit 2024", "Woo-besluit  2024"))) == []


def test_alt_text_with_personal_data_is_refused_and_plain_alt_passes():
    found = {f["code"]: f for f in findings_of(_marked(None, "Figuur 1", alt="Foto van p.jansen@example.nl"))}
    assert "alternatieve tekst (/Alt)" in found["pdf.persoonsgegeven.email"]["message"]
    assert personal(findings_of(_marked(None, "Figuur 1", alt="Kaart van het plangebied"))) == []


def test_structure_warnings_name_what_the_copy_drops():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawString(72, 780, "Formulier met een leeg veld.")
    c.acroForm.textfield(name="naam", value="", x=100, y=500, width=200, height=20)
    c.showPage()
    c.save()

    def change(pdf):
        other_file = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[0, 0, 10, 10],
            A=Dictionary(S=Name.GoToR, F=String("concept.pdf"), D=Array([0, Name.Fit])),
        )
        pdf.pages[0].Annots.append(pdf.make_indirect(other_file))

    data = _with(change, out.getvalue())
    result, copy = _inspect_bytes(data)
    found = {f["code"]: f for f in result["findings"]}
    assert found["pdf.formulier"]["severity"] == "waarschuwing" and found["pdf.formulier"].get("fixed")
    assert "een link naar een ander bestand" in found["pdf.opmerking"]["message"]
    assert {f["severity"] for f in result["findings"]} == {"waarschuwing"}
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert Name.AcroForm not in pdf.Root and Name.Annots not in pdf.pages[0]
    assert b"concept.pdf" not in copy


def test_actualtext_for_glyphs_without_text_meaning_passes():
    """A composite font without /ToUnicode draws glyphs a reader cannot turn into text; /ActualText
    supplying that text is what it is for, not hidden text. Too long a text for the glyphs still is."""

    def with_text(actual: str) -> bytes:
        pdf = pikepdf.open(io.BytesIO(_reportlab(pages=1)))
        page = pdf.pages[0]
        cid = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.CIDFontType2,
                BaseFont=Name("/Symbolen"),
                CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
                FontDescriptor=pdf.make_indirect(
                    Dictionary(
                        Type=Name.FontDescriptor,
                        FontName=Name("/Symbolen"),
                        Flags=4,
                        FontBBox=[0, 0, 1000, 1000],
                        ItalicAngle=0,
                        Ascent=800,
                        Descent=-200,
                        CapHeight=700,
                        StemV=80,
                    )
                ),
                DW=600,
            )
        )
        page.Resources.Font.FX = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type0,
                BaseFont=Name("/Symbolen"),
                Encoding=Name("/Identity-H"),
                DescendantFonts=Array([cid]),
            )
        )
        page.contents_add(
            pdf.make_stream(
                b"/Span << /ActualText (" + actual.encode() + b") >> BDC BT /FX 11 Tf 100 600 Td <0048006500F0> Tj ET EMC"
            )
        )
        return _save(pdf)

    assert "pdf.verborgen_tekst" not in {f["code"] for f in findings_of(with_text("Woo"))}
    assert "pdf.verborgen_tekst" in {f["code"] for f in findings_of(with_text("Jan de Vries, Dorpsstraat 3"))}


def test_associated_files_and_scripted_bookmarks_are_refused():
    def attach(pdf):
        spec = pdf.make_indirect(
            Dictionary(
                Type=Name.Filespec, F=String("factuur.xml"), EF=Dictionary(F=pdf.make_stream(b"<factuur>ONBEWERKT</factuur>"))
            )
        )
        pdf.Root.AF = Array([spec])

    def script(pdf):
        pdf.Root.Outlines.First.A = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert(1)")))

    found = {f["code"]: f for f in findings_of(_with(attach))}
    assert found["pdf.ingesloten_bestand"]["severity"] == "fout"
    found = {f["code"]: f for f in findings_of(_with(script))}
    assert "bladwijzer" in found["pdf.javascript"]["message"]


def test_many_hidden_replacements_are_one_finding():
    pdf = pikepdf.open(io.BytesIO(_reportlab(pages=2)))
    for number, page in enumerate(pdf.pages):
        font = list(page.Resources.Font.keys())[0]
        spans = b"".join(
            b"/Span << /ActualText (Naam nummer %d) >> BDC BT %s 11 Tf 100 %d Td (gelakt) Tj ET EMC "
            % (i + 10 * number, font.encode(), 600 - 14 * i)
            for i in range(10)
        )
        page.contents_add(pdf.make_stream(spans))
    found = [f for f in findings_of(_save(pdf)) if f["code"] == "pdf.verborgen_tekst"]
    assert len(found) == 1 and found[0]["location"] == "pagina 1-2" and "20 keer" in found[0]["message"]


def test_text_drawn_by_a_link_appearance_is_checked():
    def link_with_text(text: str) -> bytes:
        pdf = pikepdf.open(io.BytesIO(_reportlab(pages=1)))
        page = pdf.pages[0]
        font = page.Resources.Font[list(page.Resources.Font.keys())[0]]
        appearance = pdf.make_stream(
            b"BT /F1 9 Tf 2 4 Td (" + text.encode() + b") Tj ET",
            Type=Name.XObject,
            Subtype=Name.Form,
            BBox=[0, 0, 200, 14],
            Resources=Dictionary(Font=Dictionary(F1=font)),
        )
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[72, 500, 272, 514],
            AP=Dictionary(N=appearance),
            A=Dictionary(S=Name.URI, URI=String("https://www.example.nl/")),
        )
        page.Annots.append(pdf.make_indirect(link))
        return _save(pdf)

    found = {f["code"]: f for f in findings_of(link_with_text("Bel 06-12345678"))}
    assert found["pdf.persoonsgegeven.telefoon"]["location"] == "pagina 1"
    assert "weergave van een link" in found["pdf.persoonsgegeven.telefoon"]["message"]
    assert personal(findings_of(link_with_text("Lees meer op de website"))) == []


# -- allow-lists: nothing but what a viewer and a screen reader need (attack findings 03) -----------
SECRET = "Jan Jansen BSN 123456782 tel 0612345678"


def _plain_page(extra: bytes = b"") -> pikepdf.Pdf:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.drawString(72, 780, "Openbaar document over beleid.")
    c.showPage()
    c.save()
    pdf = pikepdf.open(io.BytesIO(out.getvalue()))
    if extra:
        pdf.pages[0].contents_add(pdf.make_stream(extra), prepend=False)
    return pdf


def everything(copy: bytes) -> bytes:
    """Every object of the copy as text and every stream decompressed: what anyone can dig out."""
    blob = [copy]
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                blob.append(obj.read_bytes())
            blob.append(repr(obj).encode("utf-8", "replace"))
    return b"\n".join(blob)


def _secret_free(copy: bytes) -> None:
    blob = everything(copy)
    for part in ("Jan Jansen", "123456782", "0612345678", "ORIGINEEL"):
        assert part.encode() not in blob, part


def test_never_drawn_form_and_file_under_page_resources_are_not_in_the_copy():
    pdf = _plain_page()
    form = pdf.make_stream(
        f"BT /F1 12 Tf 50 700 Td ({SECRET}) Tj ET".encode(),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 600, 800],
        Resources=pdf.pages[0].Resources,
    )
    used = pdf.make_stream(
        b"0 0 1 rg 0 0 10 10 re f", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10], Opmerking=String(SECRET)
    )
    pdf.pages[0].Resources.XObject = Dictionary(Fx9=pdf.make_indirect(form), Fx1=pdf.make_indirect(used))
    pdf.pages[0].contents_add(pdf.make_stream(b"q /Fx1 Do Q"), prepend=False)
    attachment = pdf.make_stream(b"%PDF-1.4 ORIGINEEL " + SECRET.encode(), Type=Name.EmbeddedFile)
    pdf.pages[0].Resources.Origineel = Dictionary(Type=Name.Filespec, F=String("origineel.pdf"), EF=Dictionary(F=attachment))
    pdf.Root.Pages.Resources = Dictionary(XObject=Dictionary(Fx8=pdf.make_indirect(form)))  # inherited, unused
    copy = published_copy(_save(pdf))
    _secret_free(copy)
    with pikepdf.open(io.BytesIO(copy)) as out:
        resources = out.pages[0].Resources
        assert set(resources.keys()) <= {"/Font", "/XObject", "/ProcSet"}
        assert list(resources.XObject.keys()) == ["/Fx1"] and list(resources.Font.keys()) == ["/F1"]
        assert Name.Resources not in out.Root.Pages


def test_comment_in_a_content_stream_is_removed_and_the_page_draws_the_same():
    import pypdfium2 as pdfium

    pdf = _plain_page(("% ongelakt: " + SECRET + "\n0 0 1 rg 100 100 50 50 re f\n").encode())
    source = _save(pdf)
    copy = published_copy(source)
    _secret_free(copy)
    bitmaps = []
    for data in (source, copy):
        doc = pdfium.PdfDocument(data)
        bitmaps.append(doc[0].render(scale=1).to_numpy().tobytes())
        doc.close()
    assert bitmaps[0] == bitmaps[1]


def test_viewer_preferences_mark_info_and_output_intents_keep_only_what_the_specification_defines():
    pdf = _plain_page()
    pdf.Root.ViewerPreferences = Dictionary(
        DisplayDocTitle=True, Author=String("Jan Jansen"), Origineel=pdf.make_stream(b"ORIGINEEL ONGELAKT: " + SECRET.encode())
    )
    pdf.Root.MarkInfo = Dictionary(Marked=True, Opmerking=String("Auteur: " + SECRET))
    profile = pdf.make_stream(b"\x00" * 128, N=3, Alternate=Name.DeviceRGB, Auteur=String(SECRET))
    pdf.Root.OutputIntents = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String("sRGB"),
                Info=String("Gemaakt door " + SECRET),
                DestOutputProfile=profile,
            )
        ]
    )
    copy = published_copy(_save(pdf))
    _secret_free(copy)
    with pikepdf.open(io.BytesIO(copy)) as out:
        assert dict(out.Root.ViewerPreferences.items()) == {"/DisplayDocTitle": True}
        assert dict(out.Root.MarkInfo.items()) == {"/Marked": True}
        intent = out.Root.OutputIntents[0]
        assert set(intent.keys()) == {"/Type", "/S", "/OutputConditionIdentifier", "/DestOutputProfile"}
        assert intent.DestOutputProfile.N == 3 and len(intent.DestOutputProfile.read_bytes()) == 128


def test_layer_configuration_keeps_only_the_default_states():
    pdf = _plain_page()
    layer = pdf.make_indirect(
        Dictionary(
            Type=Name.OCG,
            Name=String("Tekst"),
            Opmerking=String(SECRET),
            Usage=Dictionary(User=Dictionary(Type=Name.Ind, Name=String("Jan Jansen")), View=Dictionary(ViewState=Name.ON)),
        )
    )
    pdf.Root.OCProperties = Dictionary(
        OCGs=Array([layer]),
        Extra=String(SECRET),
        D=Dictionary(Name=String("Config"), Creator=String("Jan Jansen, " + SECRET), ON=Array([layer]), Order=Array([layer])),
        Configs=Array([Dictionary(Name=String("Jan Jansen 0612345678"), ON=Array([layer]))]),
    )
    copy = published_copy(_save(pdf))
    _secret_free(copy)
    with pikepdf.open(io.BytesIO(copy)) as out:
        properties = out.Root.OCProperties
        assert set(properties.keys()) == {"/OCGs", "/D"} and set(properties.D.keys()) == {"/ON", "/Order"}
        assert set(properties.OCGs[0].keys()) == {"/Type", "/Name", "/Usage"} and list(properties.OCGs[0].Usage.keys()) == [
            "/View"
        ]


def test_structure_keeps_roles_texts_and_table_attributes_but_no_custom_keys():
    pdf = _plain_page()
    elem = pdf.make_indirect(
        Dictionary(
            Type=Name.StructElem,
            S=Name.TH,
            T=String("Notitie"),
            Lang=String("nl"),
            Alt=String("Kop"),
            Opmerking=String(SECRET),
            ID=String("Jan Jansen"),
            A=Array(
                [
                    Dictionary(O=Name.Table, Scope=Name.Column, Summary=String(SECRET)),
                    Dictionary(O=Name.Layout, Notitie=String(SECRET)),
                ]
            ),
        )
    )
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array([elem])))
    elem.P = document
    pdf.Root.StructTreeRoot = Dictionary(
        Type=Name.StructTreeRoot,
        K=document,
        Auteur=String("Jan Jansen"),
        RoleMap=Dictionary(Kop=Name.H1, Vreemd=String(SECRET)),
        IDTree=Dictionary(Names=Array([String("Jan Jansen"), elem])),
    )
    document.P = pdf.Root.StructTreeRoot  # written in place: a second copy of the root with the custom key
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    copy = published_copy(_save(pdf))
    _secret_free(copy)
    with pikepdf.open(io.BytesIO(copy)) as out:
        tree = out.Root.StructTreeRoot
        assert set(tree.keys()) == {"/Type", "/K"}  # the role map of types no element uses goes (round 9 A15/A16)
        kept = tree.K.K[0]
        assert set(kept.keys()) == {"/Type", "/S", "/P", "/Lang", "/Alt", "/A"}  # /T goes (round 8)
        assert [dict(a.items()) for a in kept.A] == [{"/O": Name.Table, "/Scope": Name.Column}]
        assert tree.K.P.objgen == tree.objgen


def test_font_keeps_only_font_keys():
    pdf = _plain_page()
    for name in pdf.pages[0].Resources.Font.keys():
        pdf.pages[0].Resources.Font[name].Auteur = String("Jan Jansen")
    copy = published_copy(_save(pdf))
    _secret_free(copy)
    with pikepdf.open(io.BytesIO(copy)) as out:
        # (a standard font without /Widths gets them as PDFium reads it: round 5, issue 10)
        kept = {"/Type", "/Subtype", "/BaseFont", "/Encoding", "/Name", "/FirstChar", "/LastChar", "/Widths"}
        assert set(out.pages[0].Resources.Font.F1.keys()) <= kept


def test_link_addresses_and_destination_names_are_checked_for_personal_data():
    pdf = _plain_page()
    link = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=[50, 790, 200, 810],
            A=Dictionary(S=Name.URI, URI=String("mailto:jan.jansen@gmail.com?subject=BSN%20123456782")),
        )
    )
    pdf.pages[0].Annots = Array([link])
    pdf.Root.Dests = Dictionary({"/Jan_Jansen_0612345678": Array([pdf.pages[0].obj, Name.Fit])})
    found = {(f["code"], f["message"]) for f in personal(findings_of(_save(pdf)))}
    assert (
        "pdf.persoonsgegeven.email",
        "de adres van een link (zoals een mailto- of webadres) bevat een e-mailadres: j***@gmail.com.",
    ) in found
    assert any(code == "pdf.persoonsgegeven.bsn" and "adres van een link" in message for code, message in found)
    assert any(code == "pdf.persoonsgegeven.telefoon" and "bestemming" in message for code, message in found)
    clean = _plain_page()
    clean.pages[0].Annots = Array(
        [
            clean.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=[50, 790, 200, 810],
                    A=Dictionary(S=Name.URI, URI=String("https://www.example.nl/besluit?id=2024-12")),
                )
            )
        ]
    )
    clean.Root.Dests = Dictionary({"/Hoofdstuk_2": Array([clean.pages[0].obj, Name.Fit])})
    assert personal(findings_of(_save(clean))) == []


def _layered(membership, default=None, configs=None, words="Verborgen tekst") -> bytes:
    pdf = _plain_page()
    layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Laag")))
    if configs == "zoom":  # shown only from 400% zoom on, through the automatic state rule
        layer.Usage = Dictionary(Zoom=Dictionary(min=4))
        configs = None
    properties = Dictionary(OCGs=Array([layer]), D=default(layer) if default else Dictionary(ON=Array([layer])))
    if configs:
        properties.Configs = configs(layer)
    pdf.Root.OCProperties = properties
    pdf.pages[0].Resources.Properties = Dictionary(oc1=pdf.make_indirect(membership(layer)))
    pdf.pages[0].contents_add(pdf.make_stream(f"/OC /oc1 BDC BT /F1 12 Tf 50 700 Td ({words}) Tj ET EMC".encode()), prepend=False)
    return _save(pdf)


def _layer_refusals(data: bytes) -> list[str]:
    """The structure check's refusals (the page check may also see the hidden text, but only if there is text)."""
    return [f["message"] for f in findings_of(data) if f["code"] == "pdf.verborgen_laag" and f["severity"] == "fout"]


@pytest.mark.parametrize(
    "membership, default, configs",
    [
        (lambda g: Dictionary(Type=Name.OCMD, OCGs=Array([g]), P=Name.AllOff), None, None),
        (lambda g: Dictionary(Type=Name.OCMD, OCGs=Array([g]), P=Name.AnyOff), None, None),
        (lambda g: Dictionary(Type=Name.OCMD, OCGs=Array([g]), VE=Array([Name.Not, g])), None, None),
        (lambda g: g, None, lambda g: Array([Dictionary(Name=String("Jan Jansen 0612345678"), OFF=Array([g]))])),
        (
            lambda g: g,
            lambda g: Dictionary(
                ON=Array([g]), AS=Array([Dictionary(Event=Name.View, Category=Array([Name.Zoom]), OCGs=Array([g]))])
            ),
            "zoom",
        ),
    ],
    ids=["ocmd-alloff", "ocmd-anyoff", "ocmd-ve-not", "alternative-config", "auto-state"],
)
def test_content_hidden_by_any_optional_content_route_is_refused(membership, default, configs):
    refusals = _layer_refusals(_layered(membership, default, configs))
    assert refusals, "hidden optional content must refuse the package"
    assert all("laag" in m or "zichtbaarheidsregel" in m or "/AS" in m for m in refusals)


def test_optional_content_that_shows_passes():
    shown = _layered(lambda g: Dictionary(Type=Name.OCMD, OCGs=Array([g]), P=Name.AnyOn), words="Gewone tekst")
    assert _layer_refusals(shown) == []
    expression = _layered(lambda g: Dictionary(Type=Name.OCMD, VE=Array([Name.Or, g])), words="Gewone tekst")
    assert _layer_refusals(expression) == []
    # Print and view rules as layout programs write them, without anything switched off, pass.
    rules = _layered(
        lambda g: g,
        lambda g: Dictionary(
            ON=Array([g]), AS=Array([Dictionary(Event=Name.Print, Category=Array([Name.Print]), OCGs=Array([g]))])
        ),
        words="Gewone tekst",
    )
    assert _layer_refusals(rules) == []


@pytest.mark.parametrize("squeeze", [b"0 Tz", b"/F1 0 Tf", b"0 0 0 0 50 600 Tm"], ids=["scale-0", "size-0", "flat-matrix"])
def test_text_squeezed_to_nothing_is_refused(squeeze):
    """PDFium neither draws nor extracts such text, but it is in the file and other readers extract it."""
    pdf = _plain_page(b"BT /F1 12 Tf " + squeeze + b" 50 600 Td (Jan Jansen woont aan de Kerkstraat) Tj ET")
    found = [f for f in findings_of(_save(pdf)) if f["code"] == "pdf.onzichtbaar_gemaakte_tekst"]
    assert found and found[0]["location"] == "pagina 1" and found[0]["severity"] == "fout"
    assert not [
        f
        for f in findings_of(_save(_plain_page(b"BT /F1 12 Tf 50 Tz 50 600 Td (Smal) Tj ET")))
        if f["code"] == "pdf.onzichtbaar_gemaakte_tekst"
    ]
