"""A printable A4 poster for a branch's QR code, in the branch's language, for walk-in customers."""

from __future__ import annotations

import io

import fontpkg_pt_sans
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from momentos.surveys.models import QrCode
from momentos.surveys.services import qr_png

FONT = "PTSans"
_FILES = fontpkg_pt_sans.ROOT / "files"


def qr_poster_pdf(code: QrCode, *, url: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(_FILES / "PT_Sans-Web-Regular.ttf"))
    pdf.add_font(FONT, "B", str(_FILES / "PT_Sans-Web-Bold.ttf"))
    pdf.set_margins(20, 24, 20)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    with translation.override(code.branch.language):
        pdf.set_title(str(code.survey))
        pdf.set_font(FONT, "B", 34)
        pdf.multi_cell(0, 15, _("How did we do today?"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_font(FONT, "", 16)
        pdf.multi_cell(
            0, 8, _("Scan the code with your phone's camera and tell us in under a minute."), align="C"
        )
        size = 120
        pdf.image(io.BytesIO(qr_png(url, scale=20)), x=(pdf.w - size) / 2, y=pdf.get_y() + 10, w=size, h=size)
        pdf.set_y(pdf.get_y() + size + 18)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, url, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT, "B", 14)
        place = str(code.branch) + (f" · {code.moment}" if code.moment else "")
        pdf.multi_cell(0, 7, place, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(0, 6, _("Anonymous. No sign-up needed."), align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
