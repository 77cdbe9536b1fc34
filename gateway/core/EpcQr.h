// The EPC069-12 "SEPA credit transfer" QR payload (LEGAL.md §4; sources: EPC069-12,
// https://github.com/heuer/segno/blob/master/docs/epc-qrcodes.rst, neodynamic EPC QR page).
//
// Lines, separated by LF, trailing empty lines dropped:
//   1 BCD · 2 version 002 · 3 character set 1 (UTF-8) · 4 SCT · 5 BIC (optional in 002) ·
//   6 beneficiary name (1..70 chars) · 7 IBAN · 8 "EUR" + amount (0.01..999999999.99) ·
//   9 purpose code (4 chars, optional) · 10 structured reference (RF, ≤ 35) ·
//   11 unstructured text (≤ 140) · 12 note to the payer (≤ 70).
// Line 10 xor line 11; the whole payload ≤ 331 bytes; render with ECC level M, QR version ≤ 13.
// A Belgian OGM is not an ISO 11649 reference, so it goes in line 11 as "+++DDD/DDDD/DDDCC+++"
// ⚠️ (one project's choice; Febelfin's rule not found, LEGAL.md §4). An RF goes in line 10.
// Errors name the field. Thread-safety: pure function.
#pragma once

#include "gateway/core/Money.h"
#include "parsers/common/Result.h"

#include <optional>
#include <string>

namespace duegate::core {

struct EpcQrInput {
    std::string name;                      // beneficiary
    std::string iban;                      // any spacing/case; validated and normalised
    std::optional<std::string> bic;        // 8 or 11 characters
    Money amount;                          // EUR only
    std::optional<std::string> reference;  // RF (-> line 10) or OGM (-> line 11)
    std::optional<std::string> text;       // free remittance text (-> line 11)
    std::optional<std::string> purpose;    // 4-character purpose code
    std::optional<std::string> note;       // note to the payer
};

struct EpcQrPayload {
    std::string payload;        // the bytes to encode
    std::string referenceKind;  // "rf" | "ogm" | "text"
    std::string basis;
};

parsers::Result<EpcQrPayload> buildEpcQr(const EpcQrInput& in);

}  // namespace duegate::core
