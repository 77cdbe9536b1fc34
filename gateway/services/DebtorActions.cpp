#include "gateway/services/DebtorActions.h"

#include "gateway/core/Money.h"
#include "gateway/services/AdminService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/Secrets.h"
#include "gateway/services/States.h"
#include "gateway/services/TaskService.h"
#include "parsers/common/JsonWriter.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "gateway/services/dunning/Pauses.h"
#include "store/DebtorActionRepository.h"
#include "store/DunningRepository.h"
#include "store/OutboxRepository.h"
#include "store/DossierRepository.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace duegate::services {
namespace {

using parsers::CivilDate;

struct Loaded {
    store::DossierRecord dossier;
    store::DebtorRecord debtor;
};

// The link's dossier and debtor, re-read inside the action's transaction.
Loaded load(store::Tx& tx, const LinkScope& scope) {
    auto d = store::dossiers::dossier(tx, scope.creditorId, scope.dossierId);
    if (!d) throw NotFound("dossier of the link is gone");
    auto debtor = store::dossiers::debtor(tx, scope.creditorId, d->debtorId);
    return Loaded{*d, debtor.value_or(store::DebtorRecord{})};
}

std::string event(Context& ctx, store::Tx& tx, const LinkScope& scope, const std::string& kind,
                  const std::string& summary, const std::string& data) {
    return "event" + std::to_string(store::events::append(tx, store::EventRecord{0, scope.creditorId, scope.dossierId, ctx.now(), kind, "web", summary,
                                                 data.empty() ? std::nullopt : std::optional<std::string>(data)}));
}

// A task for a person (assigned to the dossier's case manager by createTask), one per decision:
// the dedupe key names the event that caused it.
void raiseTask(Context& ctx, store::Tx& tx, const LinkScope& scope, const std::string& kind, const std::string& title,
               const std::string& details, int priority, const std::string& cause) {
    TaskInput t;
    t.creditorId = scope.creditorId;
    t.dossierId = scope.dossierId;
    t.kind = kind;
    t.title = title;
    t.details = details;
    t.priority = priority;
    t.dedupeKey = kind + ":dossier:" + std::to_string(scope.dossierId) + ":" + cause;
    createTask(ctx, tx, t);
}

// Moves the dossier to `target` along the listed transitions (directly, or back to 'active' first:
// a promise turning into a plan goes promised -> active -> plan). False when no such path exists.
bool moveTo(Context& ctx, store::Tx& tx, store::DossierRecord& d, const std::string& target) {
    if (d.status == target) return true;
    if (canTransition(Machine::Dossier, d.status, target)) {
        store::dossiers::transition(tx, d.id, d.status, target, ctx.now());
        d.status = target;
        return true;
    }
    if (canTransition(Machine::Dossier, d.status, "active") && canTransition(Machine::Dossier, "active", target)) {
        store::dossiers::transition(tx, d.id, d.status, "active", ctx.now());
        store::dossiers::transition(tx, d.id, "active", target, ctx.now());
        d.status = target;
        return true;
    }
    return false;
}

bool isOpen(const std::string& status) {
    return status == "active" || status == "promised" || status == "plan" || status == "disputed";
}

std::optional<CivilDate> parseDate(const std::string& text) {
    if (text.size() != 10) return std::nullopt;
    return CivilDate::parseIso(text);
}

std::string money(std::int64_t minor, const std::string& currency) { return core::Money(minor, currency).toString(); }

bool hasControl(std::string_view s, bool allowNewlines) {
    for (unsigned char c : s) {
        if (c == '\n' || c == '\r' || c == '\t') {
            if (!allowNewlines) return true;
            continue;
        }
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

std::string hourOf(const Context& ctx) {
    return Poco::DateTimeFormatter::format(Poco::DateTime(ctx.clock->now()), "%Y-%m-%dT%H");
}

bool postcodeValid(const std::string& country, const std::string& pc) {
    auto digits = [](std::string_view s, std::size_t n) {
        return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (country == "BE" || country == "LU") return digits(pc, 4);
    if (country == "FR" || country == "DE") return digits(pc, 5);
    if (country == "NL") {
        std::string s;
        for (char c : pc)
            if (c != ' ') s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return s.size() == 6 && digits(std::string_view(s).substr(0, 4), 4) && s[0] != '0' &&
               std::isalpha(static_cast<unsigned char>(s[4])) && std::isalpha(static_cast<unsigned char>(s[5]));
    }
    if (pc.size() < 2 || pc.size() > 10) return false;
    return std::all_of(pc.begin(), pc.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-'; });
}

}  // namespace

std::optional<LinkScope> debtorLink(Context& ctx, const std::string& token) {
    return ctx.db->read([&](store::Tx& tx) -> std::optional<LinkScope> {
        auto scope = resolveLink(ctx, tx, token);
        if (!scope) return std::nullopt;
        if (!store::dossiers::dossier(tx, scope->creditorId, scope->dossierId)) return std::nullopt;
        return scope;
    });
}

std::string debtorCsrfToken(const Context& ctx, const LinkScope& scope) {
    return hmacSha256Base64Url(ctx.settings.linkSecret, "csrf|v1|" + std::to_string(scope.linkId) + "|" +
                                                            std::to_string(scope.creditorId) + "|" +
                                                            std::to_string(scope.dossierId))
        .substr(0, 32);
}

bool debtorCsrfMatches(const Context& ctx, const LinkScope& scope, const std::string& submitted) {
    return !submitted.empty() && constantTimeEquals(debtorCsrfToken(ctx, scope), submitted);
}

bool allowDebtorPost(Context& ctx, const LinkScope& scope, const DebtorPolicy& policy) {
    const auto n = ctx.db->transaction([&](store::Tx& tx) {
        return store::debtor_actions::countPost(tx, scope.creditorId, scope.linkId, hourOf(ctx));
    });
    return n <= static_cast<std::int64_t>(policy.postsPerHour);
}

CivilDate debtorToday(const Context& ctx) {
    const Poco::DateTime now(ctx.clock->now());
    return *CivilDate::fromYmd(now.year(), now.month(), now.day());
}

std::vector<Instalment> planSchedule(std::int64_t totalMinor, int n, const CivilDate& first) {
    std::vector<Instalment> out;
    if (n <= 0 || totalMinor <= 0) return out;
    const std::int64_t each = totalMinor / n;
    for (int i = 0; i < n; ++i) {
        int month = first.month() + i;
        const int year = first.year() + (month - 1) / 12;
        month = (month - 1) % 12 + 1;
        const int day = std::min(first.day(), CivilDate::daysInMonth(year, month));
        const auto due = CivilDate::fromYmd(year, month, day);
        out.push_back(Instalment{i + 1, due ? due->iso() : first.iso(), i + 1 == n ? totalMinor - each * (n - 1) : each});
    }
    return out;
}

void reportPaid(Context& ctx, const LinkScope& scope, const std::string& date, const std::string& amount,
                const DebtorPolicy& policy) {
    const auto today = debtorToday(ctx);
    const auto paidOn = parseDate(date);
    if (!paidOn || *paidOn > today || *paidOn < today.plusDays(-policy.maxPaidDaysBack))
        throw DebtorInputError("err_paid_date", "date: expected a day in the past year");
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        std::string text = trimmed(amount);
        std::replace(text.begin(), text.end(), ',', '.');
        const auto m = core::Money::parse(text, l.dossier.currency);
        if (!m || m->minor() <= 0 || m->minor() > std::max<std::int64_t>(l.dossier.openMinor, 1) * 10)
            throw DebtorInputError("err_amount", "amount: expected a positive amount");
        parsers::JsonWriter w;
        w.beginObject().field("date", paidOn->iso()).field("amount", m->toDecimal()).field("link", scope.linkId).endObject();
        const auto cause = event(ctx, tx, scope, "paid_reported",
                                 "The debtor reports having paid " + m->toString() + " on " + paidOn->iso(), w.str());
        raiseTask(ctx, tx, scope, "payment_review", "Debtor reports a payment of " + m->toString(),
                  "Reported paid on " + paidOn->iso() + " through the debtor page; check the statements.", 2, cause);
    });
}

void promiseToPay(Context& ctx, const LinkScope& scope, const std::string& date, const DebtorPolicy& policy,
                  const std::function<MailText(const std::string& date, const std::string& amount)>& confirmation) {
    const auto today = debtorToday(ctx);
    const auto on = parseDate(date);
    if (!on || *on < today || *on > today.plusDays(policy.maxPromiseDays))
        throw DebtorInputError("err_promise_date", "date: expected a day from today to " +
                                                       today.plusDays(policy.maxPromiseDays).iso());
    // The dunning engine owns promises: its table, status 'promised', the pause, the event and the
    // confirmation mail in the dossier's language. `confirmation` is used only when it sent none.
    try {
        dunning::recordPromise(ctx, dunning::setupOf(ctx), scope.creditorId,
                               dunning::PromiseInput{scope.dossierId, *on, std::nullopt, "debtor_page"}, today);
    } catch (const NotFound&) {
        throw;
    } catch (const InputError& e) {
        throw DebtorInputError("err_not_possible", e.what());
    }
    if (!confirmation) return;
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        if (!l.debtor.email) return;
        for (const auto& m : store::outbox::forDossier(tx, scope.dossierId))
            if (m.purpose == "promise_confirmation" && m.state == "planned") return;  // the engine's mail is queued
        const auto text = confirmation(on->iso(), money(l.dossier.openMinor, l.dossier.currency));
        queueMessage(ctx, tx,
                     QueuedMessage{scope.creditorId, scope.dossierId,
                                   "promise:dossier:" + std::to_string(scope.dossierId) + ":" + on->iso() + ":" +
                                       ctx.now(),
                                   "email", "promise_confirmation", *l.debtor.email, text.subject, text.body});
    });
}

PlanOutcome requestPlan(Context& ctx, const LinkScope& scope, const std::string& instalments,
                        const std::string& firstDate, const DebtorPolicy& policy) {
    int n = 0;
    const auto text = trimmed(instalments);
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || p != text.data() + text.size() || n < 2 || n > policy.maxRequestedInstalments)
        throw DebtorInputError("err_instalments", "instalments: expected 2 to " +
                                                      std::to_string(policy.maxRequestedInstalments));
    const auto today = debtorToday(ctx);
    const auto first = parseDate(firstDate);
    if (!first || *first < today || *first > today.plusDays(policy.maxPlanStartDays))
        throw DebtorInputError("err_plan_date", "first_date: expected a day from today to " +
                                                    today.plusDays(policy.maxPlanStartDays).iso());
    // The dunning engine owns plans: approval within the policy's limits, else a plan_request task.
    dunning::PlanResult result;
    try {
        result = dunning::requestPlan(ctx, dunning::setupOf(ctx), scope.creditorId,
                                      dunning::PlanInput{scope.dossierId, n, *first, "debtor_page"}, today);
    } catch (const NotFound&) {
        throw;
    } catch (const InputError& e) {
        throw DebtorInputError("err_not_possible", e.what());
    }
    PlanOutcome out;
    out.approved = result.state == "active";
    const auto open = ctx.db->transaction([&](store::Tx& tx) { return load(tx, scope).dossier.openMinor; });
    out.schedule = planSchedule(open, n, *first);
    return out;
}

std::string sniffUploadType(std::string_view b) {
    if (b.substr(0, 5) == "%PDF-") return "pdf";
    if (b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "png";
    if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
        static_cast<unsigned char>(b[2]) == 0xFF)
        return "jpeg";
    return "";
}

std::string safeUploadName(const std::string& name) {
    std::string base = name.substr(name.find_last_of("/\\") == std::string::npos ? 0 : name.find_last_of("/\\") + 1);
    std::string out;
    for (unsigned char c : base)
        if (c >= 0x20 && c != 0x7f && c != '"') out += static_cast<char>(c);
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    if (out.size() > 120) {
        std::size_t cut = 120;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 char
        out.resize(cut);
    }
    return out;
}

void openDispute(Context& ctx, const LinkScope& scope, const std::string& reason, const std::string& message,
                 const std::optional<Upload>& attachment, const DebtorPolicy& policy,
                 const std::string& remoteAddress) {
    static const char* const reasons[] = {"not_received", "amount_wrong", "already_paid", "quality", "other"};
    if (std::find(std::begin(reasons), std::end(reasons), reason) == std::end(reasons))
        throw DebtorInputError("err_reason", "reason: unknown");
    const std::string text = trimmed(message);
    if (text.empty() || text.size() > policy.maxMessageBytes || hasControl(text, true))
        throw DebtorInputError("err_message", "message: expected 1 to " + std::to_string(policy.maxMessageBytes) +
                                                  " characters");
    std::optional<store::DocumentRecord> doc;
    if (attachment && !attachment->bytes.empty()) {
        if (attachment->bytes.size() > policy.maxAttachmentBytes)
            throw DebtorInputError("err_attachment_size", "attachment: too large");
        const std::string type = sniffUploadType(attachment->bytes);
        if (type.empty()) throw DebtorInputError("err_attachment_type", "attachment: only PDF, PNG or JPEG");
        std::string name = safeUploadName(attachment->filename);
        if (name.empty()) name = "attachment." + std::string(type == "jpeg" ? "jpg" : type);
        // Durable before the transaction that points at it (store before you acknowledge).
        const std::string sha = ctx.blobs->put(attachment->bytes);
        doc = store::DocumentRecord{0, scope.creditorId, static_cast<std::int64_t>(attachment->bytes.size()), sha,
                                    type == "pdf" ? "application/pdf" : "image/" + type, name};
    }
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        if (!isOpen(l.dossier.status)) throw DebtorInputError("err_not_possible", "the dossier is " + l.dossier.status);
        store::debtor_actions::DisputeRecord d;
        d.creditorId = scope.creditorId;
        d.dossierId = scope.dossierId;
        d.linkId = scope.linkId;
        d.reason = reason;
        d.message = text;
        d.state = "open";
        d.createdAt = ctx.now();
        d.afterAcceptance = store::debtor_actions::acceptance(tx, scope.creditorId, scope.dossierId).has_value();
        if (doc) d.documentId = store::dossiers::upsertDocument(tx, *doc, ctx.now());
        const auto id = store::debtor_actions::insertDispute(tx, d);
        parsers::JsonWriter w;
        w.beginObject().field("dispute", id).field("reason", reason).field("message", text);
        w.field("attachment", doc ? std::optional<std::string>(doc->filename) : std::nullopt);
        w.field("after_acceptance", std::string(d.afterAcceptance ? "yes" : "no")).field("link", scope.linkId);
        w.field("remote_address", remoteAddress).endObject();
        std::string summary = "The debtor disputes (" + reason + "): " + text.substr(0, 200);
        if (doc) summary += " [attachment " + doc->filename + "]";
        const auto cause = event(ctx, tx, scope, "dispute_opened", summary, w.str());
        if (reason == "not_received" && d.afterAcceptance) {
            // The debtor confirmed receipt earlier: a person decides whether this dispute stands.
            raiseTask(ctx, tx, scope, "review", "'Not received' after the invoice was accepted",
                      "The debtor accepted the invoice on the debtor page and now says it was never received: " + text,
                      1, cause);
            return;
        }
        moveTo(ctx, tx, l.dossier, "disputed");
        raiseTask(ctx, tx, scope, "dispute", "Dispute: " + reason, text, 1, cause);
    });
}

std::vector<std::string> updateContact(Context& ctx, const LinkScope& scope,
                                       const std::map<std::string, std::string>& fields) {
    auto get = [&](const char* name) {
        auto it = fields.find(name);
        return it == fields.end() ? std::string() : trimmed(it->second);
    };
    std::vector<store::debtor_actions::ContactChange> wanted;
    const std::string email = get("email");
    if (!email.empty()) {
        if (email.size() > 254 || !looksLikeMailAddress(email)) throw DebtorInputError("err_email", "email: invalid");
        wanted.push_back({"email", std::nullopt, email});
    }
    std::string phone;
    for (char c : get("phone"))
        if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/') phone += c;
    if (!phone.empty()) {
        if (phone.rfind("00", 0) == 0) phone = "+" + phone.substr(2);
        const bool ok = phone.size() >= 9 && phone.size() <= 16 && phone[0] == '+' && phone[1] != '0' &&
                        std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok) throw DebtorInputError("err_phone", "phone: expected international form, e.g. +32470123456");
        wanted.push_back({"phone", std::nullopt, phone});
    }
    for (const char* f : {"street", "city"}) {
        const std::string v = get(f);
        if (v.empty()) continue;
        if (v.size() > 200 || hasControl(v, false)) throw DebtorInputError("err_address", std::string(f) + ": invalid");
        wanted.push_back({f, std::nullopt, v});
    }
    std::string country = get("country");
    for (auto& c : country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!country.empty()) {
        if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
            !std::isalpha(static_cast<unsigned char>(country[1])))
            throw DebtorInputError("err_country", "country: expected two letters");
        wanted.push_back({"country", std::nullopt, country});
    }
    return ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        std::string postcode = get("postcode");
        if (!postcode.empty()) {
            const std::string c = !country.empty() ? country : l.debtor.country.value_or("BE");
            if (!postcodeValid(c, postcode)) throw DebtorInputError("err_postcode", "postcode: invalid for " + c);
            wanted.push_back({"postcode", std::nullopt, postcode});
        }
        const auto changed = store::debtor_actions::updateContact(tx, scope.creditorId, l.debtor.id, scope.dossierId,
                                                                  scope.linkId, wanted, ctx.now());
        std::vector<std::string> names;
        if (changed.empty()) return names;
        parsers::JsonWriter w;
        w.beginObject().field("link", scope.linkId).key("changes").beginArray();
        std::string summary = "The debtor updated the contact details:";
        for (const auto& c : changed) {
            names.push_back(c.field);
            w.beginObject().field("field", c.field).field("old", c.oldValue).field("new", c.newValue).endObject();
            summary += " " + c.field + " " + c.newValue.value_or("");
            summary += &c == &changed.back() ? "" : ";";
        }
        w.endArray().endObject();
        event(ctx, tx, scope, "contact_updated", summary, w.str());
        return names;
    });
}

void acceptInvoice(Context& ctx, const LinkScope& scope, const std::string& remoteAddress) {
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        const std::string now = ctx.now();
        if (!store::debtor_actions::accept(tx, scope.creditorId, scope.dossierId, scope.linkId, now,
                                           remoteAddress.empty() ? std::nullopt
                                                                 : std::optional<std::string>(remoteAddress)))
            return;  // accepted before: the first acceptance stands, no second event
        parsers::JsonWriter w;
        w.beginObject().field("link", scope.linkId).field("at", now).field("remote_address", remoteAddress).endObject();
        event(ctx, tx, scope, "invoice_accepted",
              "The debtor confirms receipt and accepts the invoice (link " + std::to_string(scope.linkId) + ")", w.str());
    });
}

void rememberLanguage(Context& ctx, const LinkScope& scope, const std::string& language) {
    if (language != "nl" && language != "fr" && language != "en") return;
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = load(tx, scope);
        if (l.dossier.language == language && l.debtor.language == language) return;
        store::debtor_actions::setLanguage(tx, scope.creditorId, l.debtor.id, scope.dossierId, language);
    });
}

DebtorState debtorState(Context& ctx, const LinkScope& scope) {
    return ctx.db->read([&](store::Tx& tx) {
        auto l = load(tx, scope);
        return debtorState(tx, scope, l.dossier, l.debtor, store::dossiers::invoices(tx, scope.dossierId));
    });
}

DebtorState debtorState(store::Tx& tx, const LinkScope& scope, const store::DossierRecord& dossier,
                        const store::DebtorRecord& debtor, const std::vector<store::InvoiceRecord>& invoices) {
    {
        const Loaded l{dossier, debtor};
        DebtorState s;
        s.status = l.dossier.status;
        s.debtor = l.debtor;
        s.language = l.dossier.language ? l.dossier.language : l.debtor.language;
        if (auto a = store::debtor_actions::acceptance(tx, scope.creditorId, scope.dossierId)) s.acceptedAt = a->acceptedAt;
        for (const auto& d : store::debtor_actions::disputes(tx, scope.creditorId, scope.dossierId))
            if (d.state == "open") {
                s.disputeOpen = true;
                s.disputeReason = d.reason;
            }
        Poco::JSON::Parser parser;
        for (const auto& e : store::events::forDossierOfKind(tx, scope.creditorId, scope.dossierId, "paid_reported")) {
            if (!e.data) continue;
            try {
                if (e.kind == "paid_reported") {
                    auto o = parser.parse(*e.data).extract<Poco::JSON::Object::Ptr>();
                    s.paidReportedDate = o->getValue<std::string>("date");
                    s.paidReportedAmount = money(core::Money::parse(o->getValue<std::string>("amount"),
                                                                    l.dossier.currency)
                                                     .value_or(core::Money(0, l.dossier.currency))
                                                     .minor(),
                                                 l.dossier.currency);
                }
            } catch (const Poco::Exception&) {
                // Data of an event written by someone else: not ours to show.
            }
            parser.reset();
        }
        if (auto p = store::dunning::latestPromise(tx, scope.dossierId); p && p->state == "open" && s.status == "promised")
            s.promisedDate = p->promisedDate;
        if (auto plan = store::dunning::latestPlan(tx, scope.dossierId, {"active", "requested"})) {
            s.planRequested = true;
            s.planApproved = plan->state == "active";
            for (const auto& i : plan->instalments)
                s.planSchedule.push_back(Instalment{static_cast<int>(i.seq), i.dueDate, i.amountMinor});
        }
        for (const auto& inv : invoices)
            if (inv.documentId || inv.renderingDocumentId) s.hasInvoiceCopy = true;
        return s;
    }
}

std::optional<InvoiceCopy> invoiceCopy(Context& ctx, const LinkScope& scope) {
    const auto docs = ctx.db->read([&](store::Tx& tx) {
        std::vector<std::pair<store::DocumentRecord, std::string>> out;  // document, invoice number
        for (const auto& inv : store::dossiers::invoices(tx, scope.dossierId)) {
            if (inv.creditorId != scope.creditorId) continue;
            for (auto id : {inv.renderingDocumentId, inv.documentId})
                if (id)
                    if (auto d = store::dossiers::document(tx, scope.creditorId, *id)) out.emplace_back(*d, inv.number);
        }
        return out;
    });
    auto safeName = [](const std::string& number, const char* ext) {
        std::string n;
        for (char c : number)
            n += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
        return "invoice-" + n.substr(0, 60) + ext;
    };
    for (const auto& [doc, number] : docs) {
        auto bytes = ctx.blobs->get(doc.sha256);
        if (!bytes || sniffUploadType(*bytes) != "pdf") continue;
        return InvoiceCopy{"application/pdf", safeName(number, ".pdf"), std::move(*bytes), std::nullopt};
    }
    for (const auto& [doc, number] : docs) {
        auto bytes = ctx.blobs->get(doc.sha256);
        if (!bytes) continue;
        auto ubl = parsers::invoice::parseUbl(*bytes);
        if (!ubl) continue;
        return InvoiceCopy{"application/xml", safeName(number, ".xml"), std::move(*bytes), std::move(ubl).value()};
    }
    return std::nullopt;
}

}  // namespace duegate::services
