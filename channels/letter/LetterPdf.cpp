#include "channels/letter/LetterPdf.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>

#include <mutex>

#include <memory>
#include <stdexcept>

namespace duegate::channels {
namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageW = 210 * kMm, kPageH = 297 * kMm;
constexpr double kLeft = 20 * kMm, kRight = 190 * kMm, kBottom = 270 * kMm;
const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";  // fonts-dejavu-core

// DejaVu Sans regular and bold, loaded once from the TTF files with FreeType and kept for the
// process (cairo locks an FT face while it uses it). Loading the files directly, rather than asking
// fontconfig for "DejaVu Sans", makes the letter independent of the font configuration and avoids
// fontconfig's pattern leak in cairo's toy font API.
struct Fonts {
    cairo_font_face_t* regular = nullptr;
    cairo_font_face_t* bold = nullptr;
};

const Fonts& fonts() {
    static Fonts f;
    static std::once_flag once;
    std::call_once(once, [] {
        static FT_Library library = nullptr;
        if (FT_Init_FreeType(&library) != 0) return;
        auto load = [](const char* file) -> cairo_font_face_t* {
            FT_Face face = nullptr;
            if (FT_New_Face(library, (std::string(kFontDir) + file).c_str(), 0, &face) != 0) return nullptr;
            return cairo_ft_font_face_create_for_ft_face(face, 0);
        };
        f.regular = load("DejaVuSans.ttf");
        f.bold = load("DejaVuSans-Bold.ttf");
    });
    return f;
}

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// One pass of the layout. The first pass only counts pages (totalPages = 0); the second draws
// "page n / N" with the count of the first.
class Writer {
public:
    Writer(cairo_t* cr, int totalPages, const std::string& pageWord)
        : _cr(cr), _total(totalPages), _pageWord(pageWord) {}

    void font(double size, bool bold = false) {
        cairo_font_face_t* face = bold ? fonts().bold : fonts().regular;
        if (!face) throw std::runtime_error(std::string("letter: cannot load DejaVu Sans from ") + kFontDir);
        cairo_set_font_face(_cr, face);
        cairo_set_font_size(_cr, size);
    }
    double width(const std::string& s) {
        cairo_text_extents_t e;
        cairo_text_extents(_cr, s.c_str(), &e);
        return e.x_advance;
    }
    void text(double x, double y, const std::string& s) {
        cairo_move_to(_cr, x, y);
        cairo_show_text(_cr, s.c_str());
    }
    void textRight(double xRight, double y, const std::string& s) { text(xRight - width(s), y, s); }

    // Wrapped paragraph lines at the cursor; new pages as needed.
    void paragraph(const std::string& line, double size, double lineHeight) {
        font(size);
        if (line.empty()) {
            advance(lineHeight);
            return;
        }
        std::string current;
        std::size_t i = 0;
        while (i <= line.size()) {
            std::size_t sp = line.find(' ', i);
            if (sp == std::string::npos) sp = line.size();
            const std::string word = line.substr(i, sp - i);
            const std::string candidate = current.empty() ? word : current + " " + word;
            if (!current.empty() && width(candidate) > kRight - kLeft) {
                advance(lineHeight);
                text(kLeft, _y, current);
                current = word;
            } else {
                current = candidate;
            }
            i = sp + 1;
        }
        advance(lineHeight);
        text(kLeft, _y, current);
    }

    // Moves the cursor down, starting a new page when it would pass the bottom margin.
    void advance(double dy) {
        if (_y + dy > kBottom) newPage();
        _y += dy;
    }
    void need(double height) {
        if (_y + height > kBottom) newPage();
    }
    void newPage() {
        footer();
        cairo_show_page(_cr);
        ++_page;
        _y = 25 * kMm;
    }
    void finish() {
        footer();
        cairo_show_page(_cr);
    }
    double y() const { return _y; }
    void setY(double y) { _y = y; }
    int pages() const { return _page; }
    cairo_t* cr() { return _cr; }

private:
    void footer() {
        font(8);
        const std::string label = _pageWord + " " + std::to_string(_page) + " / " +
                                  std::to_string(_total > 0 ? _total : _page);
        text((kPageW - width(label)) / 2, 287 * kMm, label);
    }

    cairo_t* _cr;
    int _total;
    std::string _pageWord;
    int _page = 1;
    double _y = 0;
};

void drawQr(cairo_t* cr, const std::string& payload, double x, double y, double size) {
    QRcode* qr = QRcode_encodeString8bit(payload.c_str(), 0, QR_ECLEVEL_M);
    if (!qr) throw std::runtime_error("letter: the QR payload cannot be encoded");
    std::unique_ptr<QRcode, void (*)(QRcode*)> guard(qr, QRcode_free);
    const int n = qr->width;
    const double quiet = 4;
    const double module = size / (n + 2 * quiet);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, size, size);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            if (qr->data[r * n + c] & 1)
                cairo_rectangle(cr, x + (c + quiet) * module, y + (r + quiet) * module, module, module);
    cairo_fill(cr);
    cairo_restore(cr);
}

int layout(cairo_t* cr, const Letter& l, int totalPages) {
    Writer w(cr, totalPages, l.pageWord);
    cairo_set_source_rgb(cr, 0, 0, 0);

    // Letterhead, top right.
    double y = 20 * kMm;
    for (std::size_t i = 0; i < l.sender.size(); ++i) {
        w.font(i == 0 ? 11 : 9, i == 0);
        w.text(125 * kMm, y, l.sender[i]);
        y += (i == 0 ? 5.5 : 4.2) * kMm;
    }
    // Address field (DIN 5008 form B): return line, then the recipient.
    std::string returnLine;
    for (const auto& s : l.sender) returnLine += (returnLine.empty() ? "" : " · ") + s;
    w.font(6.5);
    w.text(kLeft, 55 * kMm, returnLine);
    y = 62.7 * kMm + 3 * kMm;
    for (std::size_t i = 0; i < l.recipient.size(); ++i) {
        w.font(10, false);
        w.text(kLeft, y, l.recipient[i]);
        y += 4.5 * kMm;
    }
    // Place and date, our reference, subject.
    w.font(10);
    if (!l.placeDate.empty()) w.textRight(kRight, 100 * kMm, l.placeDate);
    if (!l.ourReference.empty()) w.text(kLeft, 100 * kMm, l.ourReference);
    w.setY(110 * kMm);
    if (!l.subject.empty()) {
        w.font(11, true);
        w.text(kLeft, w.y(), l.subject);
        w.advance(4 * kMm);
    }
    // Body.
    std::size_t start = 0;
    while (start <= l.body.size()) {
        std::size_t nl = l.body.find('\n', start);
        if (nl == std::string::npos) nl = l.body.size();
        std::string line = l.body.substr(start, nl - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        w.paragraph(line, 10, 5 * kMm);
        start = nl + 1;
    }
    // Amounts.
    if (!l.amounts.empty() || !l.total.empty()) {
        w.need((l.amounts.size() + 3) * 5.5 * kMm);
        w.advance(5 * kMm);
        for (const auto& a : l.amounts) {
            w.advance(5.5 * kMm);
            w.font(10);
            w.text(kLeft, w.y(), a.label);
            w.textRight(kRight, w.y(), a.amount);
            if (!a.basis.empty()) {
                w.font(7.5);
                w.text(110 * kMm, w.y(), a.basis);
            }
        }
        if (!l.total.empty()) {
            w.advance(2 * kMm);
            cairo_set_line_width(cr, 0.5);
            cairo_move_to(cr, kLeft, w.y());
            cairo_line_to(cr, kRight, w.y());
            cairo_stroke(cr);
            w.advance(5 * kMm);
            w.font(10, true);
            w.text(kLeft, w.y(), l.totalLabel);
            w.textRight(kRight, w.y(), l.total);
        }
    }
    // Payment block with the QR code at the right.
    if (!l.payment.empty() || !l.epcPayload.empty()) {
        const double qrSize = 38 * kMm;
        w.need(qrSize + 10 * kMm);
        w.advance(8 * kMm);
        const double top = w.y();
        double ly = top;
        for (std::size_t i = 0; i < l.payment.size(); ++i) {
            w.font(10, i == 0);
            w.text(kLeft, ly + 4 * kMm, l.payment[i]);
            ly += 5 * kMm;
        }
        if (!l.epcPayload.empty()) drawQr(cr, l.epcPayload, kRight - qrSize, top - 2 * kMm, qrSize);
        w.setY(std::max(ly, top + qrSize));
    }
    w.finish();
    return w.pages();
}

int renderTo(std::string* out, const Letter& l, int totalPages) {
    std::string sink;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(appendTo, out ? out : &sink, kPageW, kPageH);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        throw std::runtime_error("letter: cannot create the PDF surface");
    }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, l.subject.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "duegate");
    cairo_t* cr = cairo_create(surface);
    int pages = 0;
    try {
        pages = layout(cr, l, totalPages);
    } catch (...) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        throw;
    }
    const cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t surfaceStatus = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS || surfaceStatus != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("letter: cairo: ") +
                                 cairo_status_to_string(status != CAIRO_STATUS_SUCCESS ? status : surfaceStatus));
    return pages;
}

}  // namespace

RenderedLetter renderLetterPdf(const Letter& letter) {
    RenderedLetter r;
    const int pages = renderTo(nullptr, letter, 0);  // first pass: count the pages
    r.pages = renderTo(&r.pdf, letter, pages);
    return r;
}

}  // namespace duegate::channels
