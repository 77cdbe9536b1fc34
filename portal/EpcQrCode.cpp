#include "portal/EpcQrCode.h"

#include "gateway/core/EpcQr.h"

#ifdef DUEGATE_HAVE_QRENCODE
#include <qrencode.h>
#endif

#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace duegate::portal {

std::optional<std::string> epcPayloadFor(const services::DebtorView& view) {
    const auto& d = view.summary.dossier;
    if (view.payToIban.empty() || d.currency != "EUR" || d.openMinor <= 0) return std::nullopt;
    core::EpcQrInput in;
    // EPC069-12 allows 70 characters: cut at a code point boundary, never inside a UTF-8 sequence.
    std::size_t cut = 0;
    for (std::size_t chars = 0; cut < view.payeeName.size() && chars < 70; ++chars) {
        ++cut;
        while (cut < view.payeeName.size() && (static_cast<unsigned char>(view.payeeName[cut]) & 0xC0) == 0x80) ++cut;
    }
    in.name = view.payeeName.substr(0, cut);
    in.iban = view.payToIban;
    if (!view.payToBic.empty()) in.bic = view.payToBic;
    in.amount = core::Money(d.openMinor, d.currency);
    if (!view.paymentReference.empty()) in.reference = view.paymentReference;
    else in.text = d.reference.substr(0, 140);
    auto built = core::buildEpcQr(in);
    if (!built && in.reference) {
        // A creditor's own free-form reference is neither RF nor OGM: send it as remittance text.
        in.text = in.reference->substr(0, 140);
        in.reference.reset();
        built = core::buildEpcQr(in);
    }
    if (!built) return std::nullopt;
    return built.value().payload;
}

std::optional<std::string> qrSvg(const std::string& payload) {
#ifdef DUEGATE_HAVE_QRENCODE
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeData(static_cast<int>(payload.size()), reinterpret_cast<const unsigned char*>(payload.data()), 0,
                          QR_ECLEVEL_M),
        QRcode_free);
    if (!code || code->version > 13) return std::nullopt;  // EPC069-12: version 13 at most
    const int n = code->width;
    const int quiet = 4;
    const int size = n + 2 * quiet;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
                      std::to_string(size) +
                      "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"Payment QR code\">"
                      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
    for (int y = 0; y < n; ++y) {
        for (int x = 0; x < n; ++x) {
            // Bit 0 of each module byte is "dark".
            if (code->data[y * n + x] & 1) {
                int run = 1;
                while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
                svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h" + std::to_string(run) +
                       "v1h-" + std::to_string(run) + "z";
                x += run - 1;
            }
        }
    }
    svg += "\"/></svg>";
    return svg;
#else
    (void)payload;
    return std::nullopt;
#endif
}

std::optional<std::string> paymentQrSvg(const std::string& payload) {
    constexpr std::size_t kKept = 4096;
    static std::mutex mutex;
    static std::unordered_map<std::string, std::optional<std::string>> drawn;
    static std::deque<std::string> order;
    {
        std::lock_guard lock(mutex);
        if (auto it = drawn.find(payload); it != drawn.end()) return it->second;
    }
    auto svg = qrSvg(payload);  // drawn outside the lock: two threads may both draw it once
    std::lock_guard lock(mutex);
    if (drawn.emplace(payload, svg).second) {
        order.push_back(payload);
        if (order.size() > kKept) {
            drawn.erase(order.front());
            order.pop_front();
        }
    }
    return svg;
}

}  // namespace duegate::portal
