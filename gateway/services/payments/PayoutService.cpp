#include "gateway/services/payments/PayoutService.h"

#include "gateway/core/Money.h"
#include "gateway/core/PaymentAllocation.h"
#include "gateway/core/sepa/Pain001Writer.h"
#include "gateway/services/OutboxService.h"
#include "parsers/common/JsonWriter.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/PaymentRepository.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace duegate::services::payments {
namespace {

namespace sp = store::payments;
namespace fs = std::filesystem;

// Writes a file durably: temp in the same folder, fsync, rename, fsync the folder.
void writeDurably(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) throw store::StoreError("payout: create " + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            throw store::StoreError("payout: write " + tmp + ": " + std::strerror(errno));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) throw store::StoreError("payout: fsync " + tmp);
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw store::StoreError("payout: rename " + path);
    int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

std::string csvField(const std::string& v) {
    if (v.find_first_of(",\"\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string decimal(std::int64_t minor, const std::string& currency) { return core::Money(minor, currency).toDecimal(); }

struct Planned {
    store::CreditorRecord creditor;
    std::string currency;
    std::vector<sp::PayoutLine> lines;
    std::int64_t gross = 0, fee = 0, kept = 0, net = 0;
    std::int64_t principal = 0, interest = 0, costs = 0;  // the gross by imputation
    std::int64_t payoutId = 0;
    std::string endToEndId, csv;
};

}  // namespace

PayoutRun runPayout(Context& ctx, const std::string& dir, const parsers::CivilDate& date) {
    if (ctx.settings.agencyIban.empty())
        throw InputError("the agency's account ([agency] iban) is not set up: nothing to pay out from");
    const std::string until = date.plusDays(1).iso() + "T00:00:00.000000Z";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw store::StoreError("payout: cannot create " + dir + ": " + ec.message());

    std::string writtenFile;
    try {
        return ctx.db->transaction([&](store::Tx& tx) {
            if (tx.dialect() == store::Dialect::PostgreSQL)
                tx.query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7340032)) AS l");
            const std::string now = ctx.now();
            PayoutRun run;
            std::vector<Planned> planned;
            for (const auto& due : sp::payoutsDue(tx, until)) {
                Planned p;
                auto c = store::creditors::byId(tx, due.creditorId);
                if (!c) continue;
                p.creditor = *c;
                p.currency = due.currency;
                p.lines = sp::payoutLines(tx, due.creditorId, due.currency, until);
                // What the agency keeps of each paid match under the creditor's setting; a
                // clawback already carries (negated) what its payout kept.
                const auto keep = core::parseKeepMode(c->payoutKeep).value_or(core::KeepMode::None);
                for (auto& l : p.lines) {
                    if (l.kind == "paid") l.keptMinor = core::keptPart(keep, l.costsMinor, l.interestMinor);
                    p.gross += l.amountMinor;
                    p.kept += l.keptMinor;
                    p.costs += l.costsMinor;
                    p.interest += l.interestMinor;
                }
                p.principal = p.gross - p.costs - p.interest;
                // The percentage fee is on what is collected for the creditor (gross - kept): the
                // agency takes no fee on the costs it keeps for itself.
                const std::int64_t base = p.gross - p.kept;
                p.fee = base > 0 ? (base * p.creditor.feeBasisPoints + 5000) / 10000 : 0;
                p.net = p.gross - p.fee - p.kept;
                const std::string who = "creditor " + std::to_string(c->id) + " (" + c->name + ")";
                if (p.currency != "EUR") {
                    run.skipped.push_back(who + ": " + p.currency + " cannot be paid out by SEPA credit transfer");
                    continue;
                }
                if (p.net <= 0) {
                    run.skipped.push_back(who + ": nothing to pay out (" + decimal(p.net, p.currency) + ")");
                    continue;
                }
                if (!c->iban || c->iban->empty()) {
                    run.skipped.push_back(who + ": no IBAN registered to pay " + decimal(p.net, p.currency) + " to");
                    continue;
                }
                p.endToEndId = "PAYOUT-" + date.iso() + "-" + std::to_string(c->id);
                sp::PayoutRecord rec;
                rec.creditorId = c->id;
                rec.currency = p.currency;
                rec.periodEnd = date.iso();
                rec.grossMinor = p.gross;
                rec.feeMinor = p.fee;
                rec.keptMinor = p.kept;
                rec.amountMinor = p.net;
                rec.payments = static_cast<std::int64_t>(p.lines.size());
                rec.endToEndId = p.endToEndId;
                auto id = sp::insertPayout(tx, rec, now);
                if (!id) {
                    run.skipped.push_back(who + ": the period up to " + date.iso() + " was paid out before");
                    continue;
                }
                p.payoutId = *id;
                for (const auto& l : p.lines) sp::insertPayoutItem(tx, c->id, *id, l);
                planned.push_back(std::move(p));
            }
            if (planned.empty()) return run;

            core::sepa::Pain001 file;
            file.messageId = "DUEGATE-PAYOUT-" + date.iso() + "-" + std::to_string(planned.front().payoutId);
            file.creationDateTime = Poco::DateTimeFormatter::format(Poco::DateTime(ctx.clock->now()), "%Y-%m-%dT%H:%M:%S");
            file.initiatingPartyName = ctx.settings.agencyName;
            file.paymentInfoId = file.messageId;
            file.requestedExecutionDate = date.plusDays(1);
            file.debtorName = ctx.settings.agencyName;
            file.debtorIban = ctx.settings.agencyIban;
            file.debtorBic = ctx.settings.agencyBic;
            for (const auto& p : planned) {
                core::sepa::CreditTransfer t;
                t.endToEndId = p.endToEndId;
                t.amountMinor = p.net;
                t.creditorName = p.creditor.name;
                t.creditorIban = *p.creditor.iban;
                t.creditorBic = p.creditor.bic.value_or("");
                t.remittance = "Payout up to " + date.iso() + ": " + std::to_string(p.lines.size()) + " payments, fee " +
                               decimal(p.fee, p.currency) +
                               (p.kept != 0 ? ", costs kept " + decimal(p.kept, p.currency) : std::string());
                file.transfers.push_back(std::move(t));
            }
            auto xml = core::sepa::writePain001(file);
            if (!xml) throw InputError("payout: the pain.001 file cannot be written: " + xml.error().toString());
            const std::string name = "payout-" + date.iso() + "-" + std::to_string(planned.front().payoutId) + ".xml";
            const std::string path = (fs::path(dir) / name).string();
            writeDurably(path, *xml);
            writtenFile = path;
            run.file = path;

            for (auto& p : planned) {
                // Per payment: the amount and its imputation (principal, interest, costs: art. 6:44
                // BW / art. 5.215 BW), what the agency kept of it; then the totals. The columns add
                // up: amount = principal + interest + costs; paid out = gross - fee - kept.
                const auto d = [&](std::int64_t m) { return decimal(m, p.currency); };
                std::string csv = "dossier,invoices,booked,payer,kind,amount,principal,interest,costs,kept,currency\n";
                for (const auto& l : p.lines)
                    csv += csvField(l.dossierReference) + "," + csvField(l.invoiceNumbers) + "," + l.bookingDate + "," +
                           csvField(l.counterpartyName) + "," + l.kind + "," + d(l.amountMinor) + "," +
                           d(l.amountMinor - l.interestMinor - l.costsMinor) + "," + d(l.interestMinor) + "," +
                           d(l.costsMinor) + "," + d(l.keptMinor) + "," + p.currency + "\n";
                csv += ",,,,gross," + d(p.gross) + "," + d(p.principal) + "," + d(p.interest) + "," + d(p.costs) + "," +
                       d(p.kept) + "," + p.currency + "\n";
                csv += ",,,,fee," + d(-p.fee) + ",,,,," + p.currency + "\n";
                csv += ",,,,kept," + d(-p.kept) + ",,,,," + p.currency + "\n";
                csv += ",,,,paid out," + d(p.net) + ",,,,," + p.currency + "\n";
                const std::string csvName =
                    "payout-" + date.iso() + "-" + std::to_string(planned.front().payoutId) + "-creditor-" +
                    std::to_string(p.creditor.id) + ".csv";
                writeDurably((fs::path(dir) / csvName).string(), csv);
                const auto sha = ctx.blobs->put(csv);
                sp::setPayoutFile(tx, p.payoutId, name, sha);
                const std::string amount = p.currency + " " + decimal(p.net, p.currency);
                parsers::JsonWriter ev(0);
                ev.beginObject()
                    .field("payout", p.payoutId)
                    .field("currency", p.currency)
                    .field("gross", d(p.gross))
                    .field("principal", d(p.principal))
                    .field("interest", d(p.interest))
                    .field("costs", d(p.costs))
                    .field("fee", d(p.fee))
                    .field("keep", p.creditor.payoutKeep)
                    .field("kept", d(p.kept))
                    .field("amount", d(p.net))
                    .endObject();
                store::events::append(tx, store::EventRecord{0, p.creditor.id, std::nullopt, now, "payout_made",
                                                             std::nullopt,
                                                             "Payout of " + amount + " (" +
                                                                 std::to_string(p.lines.size()) + " payments, gross " +
                                                                 d(p.gross) + ", fee " + d(p.fee) + ", kept " +
                                                                 d(p.kept) + ") up to " + date.iso() + " in " + name,
                                                             ev.str()});
                if (p.creditor.email)
                    queueMessage(ctx, tx,
                                 QueuedMessage{p.creditor.id, std::nullopt, "payout:" + std::to_string(p.payoutId),
                                               "email", "payout_statement", *p.creditor.email,
                                               "Payout of " + amount + " up to " + date.iso(),
                                               "Hello,\n\nWe transfer " + amount + " to " + *p.creditor.iban +
                                                   " for the payments collected up to " + date.iso() +
                                                   " (gross " + decimal(p.gross, p.currency) + ", fee " +
                                                   decimal(p.fee, p.currency) +
                                                   (p.kept != 0 ? ", recoverable amounts kept by the agency " +
                                                                      decimal(p.kept, p.currency)
                                                                : std::string()) +
                                                   ").\n\nThe payments (CSV):\n\n" + csv +
                                                   "\n" + ctx.settings.agencyName + "\n"});
                run.payouts.push_back(PayoutItem{p.creditor.id, p.net, p.currency, p.lines.size()});
            }
            return run;
        });
    } catch (...) {
        // Nothing was committed: a file that says otherwise must not be uploaded to the bank.
        if (!writtenFile.empty()) fs::remove(writtenFile, ec);
        throw;
    }
}

std::string payoutJson(const PayoutRun& run) {
    parsers::JsonWriter w(0);
    w.beginObject();
    w.field("file", run.file);
    w.key("payouts").beginArray();
    for (const auto& p : run.payouts) {
        w.beginObject();
        w.field("creditor", p.creditorId);
        w.field("amount", core::Money(p.amountMinor, p.currency).toDecimal());
        w.field("currency", p.currency);
        w.field("payments", static_cast<std::int64_t>(p.payments));
        w.endObject();
    }
    w.endArray();
    w.endObject();
    return w.str();
}

}  // namespace duegate::services::payments
