// The payment QR code on the debtor's page: the EPC069-12 payload (gateway/core/EpcQr.h) for the
// dossier's open amount, drawn as an inline SVG.
//
// The SVG needs libqrencode, compiled in when DUEGATE_HAVE_QRENCODE is defined (CMake:
// pkg-config libqrencode); without it qrSvg() returns std::nullopt and the page shows the payload
// text and the transfer details only. Thread-safety: pure functions (libqrencode is reentrant).
#pragma once

#include "gateway/services/DossierQueries.h"

#include <optional>
#include <string>

namespace duegate::portal {

// The EPC payload for the view, or std::nullopt when there is nothing to pay by SEPA transfer:
// no IBAN, not EUR, nothing open, or a field the EPC format rejects.
std::optional<std::string> epcPayloadFor(const services::DebtorView& view);

// A square SVG (ECC level M, 4-module quiet zone, black on white) for `payload`, or std::nullopt
// when QR rendering is not compiled in or the payload does not fit.
std::optional<std::string> qrSvg(const std::string& payload);

// qrSvg for the debtor page's payment payloads, remembered: a dossier's QR code only changes with
// its amount or payee, and drawing one (libqrencode's mask search) was 16 % of the page's CPU.
// The last 4,096 payloads are kept (first in, first out). Thread-safe. Never for secrets (the
// TOTP enrolment's QR code goes through qrSvg).
std::optional<std::string> paymentQrSvg(const std::string& payload);

}  // namespace duegate::portal
