#include "gateway/services/ReportService.h"

#include "gateway/services/TableWriter.h"
#include "parsers/common/CivilDate.h"
#include "parsers/invoice/BulkTemplate.h"
#include "store/CreditorPortalRepository.h"

#include <set>

namespace duegate::services {
namespace {

namespace cp = store::creditor_portal;
constexpr std::size_t kPage = 1000;

std::string cleanDate(const std::string& at) { return at.substr(0, 10); }

template <class Fetch, class Write>
void pages(Fetch fetch, Write write) {
    std::int64_t after = 0;
    std::size_t total = 0;
    while (total < kMaxReportRows) {
        const auto rows = fetch(after, std::min(kPage, kMaxReportRows - total));
        for (const auto& r : rows) write(r);
        total += rows.size();
        if (rows.size() < kPage) break;
        after = rows.back().id;
    }
}

}  // namespace

Download buildReport(Context& ctx, const Principal& who, const std::string& report, const std::string& from,
                     const std::string& to, const std::string& format) {
    if (!who.creditorId) throw NotFound("reports belong to a creditor");
    const std::int64_t creditorId = *who.creditorId;
    if (report != "dossiers" && report != "payments" && report != "payouts" && report != "kpis")
        throw InputError("report: expected dossiers, payments, payouts or kpis");
    const auto f = parsers::CivilDate::parseIso(from);
    if (!f) throw InputError("from: expected a date YYYY-MM-DD");
    const auto t = parsers::CivilDate::parseIso(to);
    if (!t) throw InputError("to: expected a date YYYY-MM-DD");
    if (*t < *f) throw InputError("to: before from");
    if (f->plusDays(3 * 366) < *t) throw InputError("to: at most three years after from");
    if (format != "csv" && format != "xlsx") throw InputError("format: expected csv or xlsx");

    auto out = makeTableWriter(format, report);
    ctx.db->read([&](store::Tx& tx) {
        if (report == "dossiers") {
            out->row({"reference", "status", "debtor", "debtor_email", "invoice", "first_due_date", "currency",
                      "invoiced", "paid", "open", "created"});
            pages([&](std::int64_t after, std::size_t n) { return cp::dossierReport(tx, creditorId, from, to, after, n); },
                  [&](const cp::DossierReportRow& r) {
                      out->row({r.reference, r.status, r.debtorName, r.debtorEmail, r.invoiceNumbers, r.firstDue,
                                r.currency, Amount{r.invoicedMinor}, Amount{r.paidMinor}, Amount{r.openMinor},
                                cleanDate(r.createdAt)});
                  });
        } else if (report == "payments") {
            out->row({"booking_date", "dossier", "currency", "amount", "payer", "payer_iban", "reference", "rule",
                      "matched", "undone"});
            pages([&](std::int64_t after, std::size_t n) { return cp::paymentReport(tx, creditorId, from, to, after, n); },
                  [&](const cp::PaymentReportRow& r) {
                      out->row({r.bookingDate, r.dossierReference, r.currency, Amount{r.amountMinor}, r.counterpartyName,
                                r.counterpartyIban, r.reference, r.rule, cleanDate(r.createdAt),
                                r.undoneAt ? cleanDate(*r.undoneAt) : std::string()});
                  });
        } else if (report == "payouts") {
            out->row({"period_end", "currency", "gross", "fee", "paid_out", "payments", "end_to_end_id", "made"});
            pages([&](std::int64_t after, std::size_t n) { return cp::payoutReport(tx, creditorId, from, to, after, n); },
                  [&](const cp::PayoutReportRow& r) {
                      out->row({r.periodEnd, r.currency, Amount{r.grossMinor}, Amount{r.feeMinor}, Amount{r.amountMinor},
                                r.payments, r.endToEndId, cleanDate(r.createdAt)});
                  });
        } else {
            out->row({"from", "to", "currency", "dossiers_created", "invoiced", "collected", "dossiers_paid",
                      "disputes", "promises", "paid_out", "open_dossiers_now", "open_now"});
            std::set<std::string> currencies{"EUR"};
            for (const auto& r : tx.query("SELECT DISTINCT currency FROM dossiers WHERE creditor_id = $1", {creditorId}))
                currencies.insert(r.text(0));
            for (const auto& c : currencies) {
                const auto k = cp::kpis(tx, creditorId, from, to, c);
                out->row({from, to, c, k.dossiersCreated, Amount{k.invoicedMinor}, Amount{k.collectedMinor},
                          k.dossiersPaid, k.disputes, k.promises, Amount{k.paidOutMinor}, k.openDossiers,
                          Amount{k.openMinor}});
            }
        }
    });
    Download d;
    d.contentType = out->contentType();
    d.filename = report + "-" + from + "-" + to + "." + out->extension();
    d.bytes = out->finish();
    return d;
}

Download bulkTemplate(const std::string& format) {
    auto out = makeTableWriter(format, "invoices", false);
    std::vector<Cell> header;
    for (const auto& c : parsers::invoice::bulkTemplateColumns()) header.emplace_back(c);
    out->row(header);
    // One example row, in template order (BulkTemplate.h): delete it before filling in your own.
    std::vector<Cell> example;
    for (const auto& c : parsers::invoice::bulkTemplateColumns()) {
        static const std::vector<std::pair<std::string, std::string>> sample{
            {"creditor_reference", "K-1001"}, {"debtor_name", "Bakkerij Peeters BV"},
            {"debtor_email", "boekhouding@peeters.example"}, {"debtor_phone", "03 123 45 67"},
            {"debtor_street", "Kerkstraat 12"}, {"debtor_postcode", "2000"}, {"debtor_city", "Antwerpen"},
            {"debtor_country", "BE"}, {"language", "NL"}, {"vat_number", "BE0123456749"},
            {"invoice_number", "F2026-0042"}, {"issue_date", "2026-01-15"}, {"due_date", "2026-02-14"},
            {"amount", "1234.50"}, {"currency", "EUR"}, {"ogm", ""}};
        std::string v;
        for (const auto& [k, val] : sample)
            if (k == c) v = val;
        example.emplace_back(v);
    }
    out->row(example);
    return Download{"duegate-invoice-template." + out->extension(), out->contentType(), out->finish()};
}

}  // namespace duegate::services
