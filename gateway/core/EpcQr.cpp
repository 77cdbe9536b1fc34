#include "gateway/core/EpcQr.h"
#include "gateway/core/InputError.h"

#include "parsers/refs/Iban.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <cctype>
#include <vector>

namespace duegate::core {
namespace {

constexpr std::size_t kMaxPayloadBytes = 331;

// Code points in a UTF-8 string (continuation bytes not counted).
std::size_t utf8Length(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

bool hasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool isAlnum(std::string_view s) {
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

parsers::Result<EpcQrPayload> buildEpcQr(const EpcQrInput& in) {
    if (in.name.empty() || utf8Length(in.name) > 70 || hasLineBreak(in.name))
        return inputError("name", "the beneficiary name must be 1 to 70 characters on one line");
    const auto iban = parsers::refs::normalizeIban(in.iban);
    if (!iban) return inputError("iban", "not a valid IBAN: " + in.iban);
    std::string bic;
    if (in.bic && !in.bic->empty()) {
        for (char c : *in.bic)
            if (c != ' ') bic += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if ((bic.size() != 8 && bic.size() != 11) || !isAlnum(bic))
            return inputError("bic", "a BIC has 8 or 11 letters or digits");
    }
    if (in.amount.currency() != "EUR") return inputError("amount", "an EPC QR code pays EUR only");
    if (in.amount.minor() < 1 || in.amount.minor() > 99999999999)
        return inputError("amount", "the amount must be between 0.01 and 999999999.99");
    const bool hasRef = in.reference && !in.reference->empty();
    const bool hasText = in.text && !in.text->empty();
    if (hasRef == hasText)
        return inputError("reference", "give either a structured reference or a text, exactly one of them");

    EpcQrPayload out;
    std::string line10, line11;
    if (hasRef) {
        if (auto rf = parsers::refs::parseRf(*in.reference)) {
            line10 = *rf;
            out.referenceKind = "rf";
        } else if (auto ogm = parsers::refs::parseOgm(*in.reference)) {
            line11 = parsers::refs::formatOgm(*ogm);
            out.referenceKind = "ogm";
        } else {
            return inputError("reference", "neither a valid RF nor a valid OGM: " + *in.reference);
        }
    } else {
        if (utf8Length(*in.text) > 140 || hasLineBreak(*in.text))
            return inputError("text", "the remittance text must be at most 140 characters on one line");
        line11 = *in.text;
        out.referenceKind = "text";
    }
    std::string purpose;
    if (in.purpose && !in.purpose->empty()) {
        if (in.purpose->size() != 4 || !isAlnum(*in.purpose))
            return inputError("purpose", "a purpose code has 4 letters or digits");
        purpose = *in.purpose;
    }
    std::string note;
    if (in.note && !in.note->empty()) {
        if (utf8Length(*in.note) > 70 || hasLineBreak(*in.note))
            return inputError("note", "the note to the payer must be at most 70 characters on one line");
        note = *in.note;
    }

    std::vector<std::string> lines = {"BCD", "002", "1", "SCT", bic, in.name, *iban,
                                      "EUR" + in.amount.toDecimal(), purpose, line10, line11, note};
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out.payload += '\n';
        out.payload += lines[i];
    }
    if (out.payload.size() > kMaxPayloadBytes)
        return inputError("payload", "the EPC QR payload is " + std::to_string(out.payload.size()) +
                                          " bytes; at most 331 are allowed");
    out.basis = "EPC069-12 quick response code, version 002, UTF-8, LF separators, BIC optional, name at most 70, "
                "structured reference xor text, at most 331 bytes; render with ECC level M";
    if (out.referenceKind == "ogm")
        out.basis += "; the Belgian OGM is placed in the unstructured text line (one project's choice: Febelfin's "
                     "rule not found, test with the major banks)";
    return out;
}

}  // namespace duegate::core
