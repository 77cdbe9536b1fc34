#include "gateway/services/DossierQueries.h"

#include "gateway/services/LinkService.h"
#include "parsers/common/JsonWriter.h"
#include "parsers/refs/Ogm.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"
#include "store/OutboxRepository.h"
#include "store/Time.h"

namespace duegate::services {
namespace {

DossierSummary summarize(store::Tx& tx, store::dossiers::Scope scope, const store::DossierRecord& d) {
    DossierSummary s;
    s.dossier = d;
    s.debtor = store::dossiers::debtor(tx, scope, d.debtorId).value_or(store::DebtorRecord{});
    s.invoices = store::dossiers::invoices(tx, d.id);
    if (auto c = store::creditors::byId(tx, d.creditorId)) s.creditorName = c->name;
    return s;
}

}  // namespace

std::vector<DossierSummary> listDossiers(Context& ctx, const Principal& who, std::size_t limit, std::int64_t afterId) {
    return ctx.db->read([&](store::Tx& tx) {
        std::vector<DossierSummary> out;
        for (const auto& d : store::dossiers::list(tx, who.creditorId, limit, afterId))
            out.push_back(summarize(tx, who.creditorId, d));
        return out;
    });
}

std::optional<DossierDetail> dossierDetail(Context& ctx, const Principal& who, std::int64_t dossierId) {
    return ctx.db->read([&](store::Tx& tx) -> std::optional<DossierDetail> {
        auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
        if (!d) return std::nullopt;
        DossierDetail detail;
        detail.summary = summarize(tx, who.creditorId, *d);
        detail.events = store::events::forDossier(tx, who.creditorId, dossierId);
        detail.messages = store::outbox::forDossier(tx, dossierId);
        return detail;
    });
}

std::optional<DebtorView> openDebtorLink(Context& ctx, const std::string& token, const std::string& userAgent) {
    DebtorState unused;
    return openDebtorLink(ctx, token, userAgent, unused);
}

std::optional<DebtorView> openDebtorLink(Context& ctx, const std::string& token, const std::string& userAgent,
                                         DebtorState& state) {
    // The page is a read; `link_opened` is written at most once per link per hour. A write per view
    // would make every page view a write transaction (on SQLite: the writer lock and an fsync), and
    // the timeline and the dunning engine ("the debtor engaged") need the fact, not every reload.
    const std::string now = ctx.now();
    const std::string since = store::formatInstant(ctx.clock->now() - Poco::Timespan(3600, 0));
    bool record = false;
    auto view = ctx.db->read([&](store::Tx& tx) -> std::optional<DebtorView> {
        auto scope = resolveLink(ctx, tx, token);
        if (!scope) return std::nullopt;
        auto d = store::dossiers::dossier(tx, scope->creditorId, scope->dossierId);
        if (!d) return std::nullopt;
        DebtorView v;
        v.linkId = scope->linkId;
        v.summary = summarize(tx, scope->creditorId, *d);
        // Where to pay was fixed when the dossier was created: the page says what the notice said.
        v.payeeName = d->payeeName.value_or("");
        v.payToIban = d->payeeIban.value_or("");
        v.payToBic = d->payeeBic.value_or("");
        if (d->ogm) v.ogmFormatted = parsers::refs::formatOgm(*d->ogm);
        v.paymentReference = d->paymentReference.value_or("");
        record = !store::links::openedSince(tx, scope->linkId, since);
        state = debtorState(tx, *scope, *d, v.summary.debtor, v.summary.invoices);
        return v;
    });
    if (!view || !record) return view;
    const auto& d = view->summary.dossier;
    ctx.db->transaction([&](store::Tx& tx) {
        if (!store::links::markOpened(tx, view->linkId, now, since)) return;
        // Every message carries a link of its own: the timeline says which one was opened.
        std::string summary = "The debtor opened the personal link";
        if (const auto sent = store::outbox::messageWithLink(tx, d.id, view->linkId))
            summary += " of the " + sent->purpose + " (" + sent->channel + ", " + sent->createdAt.substr(0, 10) + ")";
        parsers::JsonWriter data(0);
        data.beginObject().field("link", view->linkId);
        if (const std::string ua = userAgent.substr(0, 200); !ua.empty()) data.field("user_agent", ua);
        data.endObject();
        store::events::append(tx, store::EventRecord{0, d.creditorId, d.id, now, "link_opened", "web", summary, data.str()});
    });
    return view;
}

std::vector<store::InboundItemRecord> quarantinedItems(Context& ctx, const Principal& who, std::size_t limit) {
    return ctx.db->read(
        [&](store::Tx& tx) { return store::inbound::inState(tx, who.creditorId, "quarantined", limit); });
}

}  // namespace duegate::services
