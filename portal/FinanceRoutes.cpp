// The finance team's queue in the portal (issue 9, item 5), for staff (every creditor, filter by
// creditor) and creditor users (the lines of their own account and those matched to their dossiers):
//   GET  /payments                 the queue: filters state (open | unmatched | suggested | matched |
//                                  all), creditor (staff), from/to (booking date), amount, dossier;
//                                  keyset paging with after=ID
//   GET  /payments/{id}            one line: suggestions, matches, dossier search (q=) to match by
//                                  hand over one or several dossiers, mark, undo; ok= / error= show
//                                  the result of the last action (codes only travel in the URL)
//   POST /payments/{id}/confirm    dossier=ID                      confirm a suggestion
//   POST /payments/{id}/match      amount_<dossierId>=12.50 ...     match by hand, split
//   POST /payments/{id}/mark       mark=not_ours|refund|bank_costs, reason=
//   POST /payments/{id}/undo       reason= (required)
//   GET  /payments/upload, POST /payments/upload (multipart, field `file`): a statement file handed
//                                  to services::importFile, door "portal", like POST /api/v1/statements.
// Every POST checks the session's CSRF token and goes through services/payments, which records the
// action (payment_actions) and an event naming the user; then 303 back to the line. The upload
// answers with its result page directly (the per-file counts and the located error are not stored
// anywhere a GET could show them; a repeated upload adds nothing, lines are unique). Another
// creditor's line or dossier is the same 404 as a missing one.
#include "portal/Routes.h"

#include "gateway/core/Money.h"
#include "gateway/services/FileIntake.h"
#include "gateway/services/PortalService.h"
#include "gateway/services/payments/PaymentService.h"
#include "parsers/common/CivilDate.h"
#include "portal/I18n.h"
#include "portal/Multipart.h"
#include "portal/Session.h"
#include "portal/pages/FinancePages.h"
#include "portal/pages/Pages.h"

#include <algorithm>
#include <charconv>

namespace duegate::portal {

std::optional<std::int64_t> parseAmount(std::string text, const std::string& currency) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    std::replace(text.begin(), text.end(), ',', '.');
    auto m = core::Money::parse(text, currency);
    if (!m) return std::nullopt;
    return m->minor();
}

namespace {

namespace pay = services::payments;

constexpr std::size_t kQueuePage = 50;
constexpr std::size_t kSearchResults = 20;
constexpr std::size_t kSearchTerms = 5;

std::optional<std::int64_t> positiveId(const std::string& s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<std::int64_t> queryId(const Request& req, const char* name) {
    auto it = req.query.find(name);
    return it == req.query.end() ? std::nullopt : positiveId(it->second);
}

std::string queryText(const Request& req, const char* name, std::size_t max = 200) {
    auto it = req.query.find(name);
    return it == req.query.end() ? std::string() : it->second.substr(0, max);
}

template <class F>
Response withSession(services::Context& ctx, const Request& req, F&& page) {
    auto session = currentSession(ctx, req);
    if (!session) return Response::redirect("/login");
    return page(*session);
}

// A staff user looking at one creditor reads with that creditor's scope (reads only).
services::Principal narrowed(const services::Principal& who, std::optional<std::int64_t> creditor) {
    services::Principal p = who;
    if (who.staff() && creditor) p.creditorId = creditor;
    return p;
}

// The text for ?ok= / ?error= on the line page, in the reader's language. Amounts are read again
// from the store, never taken from the URL.
std::string okText(const std::string& lang, const std::string& code) {
    for (const char* c : {"confirmed", "matched", "marked", "undone"})
        if (code == c) return i18n::text(lang, std::string("f_ok_") + c);
    return {};
}

std::string errorText(services::Context& ctx, const services::Principal& who, const std::string& lang,
                      const Request& req, const pay::QueueItem& item) {
    const std::string code = queryText(req, "error", 20);
    if (code.empty()) return {};
    if (code == "line") {
        store::payments::LineRecord left = item.line;
        left.amountMinor = std::max<std::int64_t>(0, item.line.amountMinor - item.appliedMinor);
        return i18n::text(lang, "f_err_line", {{"left", pages::lineAmount(left)}});
    }
    if (code == "open") {
        if (auto d = queryId(req, "dossier")) {
            if (auto detail = services::dossierDetail(ctx, who, *d)) {
                const auto& r = detail->summary.dossier;
                return i18n::text(lang, "f_err_open",
                                  {{"reference", r.reference}, {"open", displayMoney(r.openMinor, r.currency)}});
            }
        }
        return i18n::text(lang, "f_err_conflict");
    }
    for (const char* c : {"amount", "none", "reason", "mark", "suggestion", "input", "conflict", "matched", "nothing"})
        if (code == c) return i18n::text(lang, std::string("f_err_") + c);
    return {};
}

// A POST on a line: session, CSRF, then `act`; NotFound -> 404, other failures -> 303 with an
// error code, success -> 303 with `okCode`. `act` returns an error code of its own or "".
template <class Act>
Response lineAction(services::Context& ctx, Request& req, const char* okCode, const char* conflictCode, Act&& act) {
    return withSession(ctx, req, [&](const services::ActiveSession& s) {
        const auto form = req.form();
        auto it = form.find("csrf");
        if (!csrfMatches(s.csrfToken, it == form.end() ? std::string() : it->second)) return forbiddenPage(req);
        const auto id = positiveId(req.params.at("id"));
        if (!id) return notFoundResponse();
        const std::string back = "/payments/" + std::to_string(*id);
        try {
            const std::string error = act(s, *id, form);
            if (!error.empty()) return Response::redirect(back + "?error=" + error);
        } catch (const services::NotFound&) {
            return notFoundResponse();
        } catch (const pay::Conflict& e) {
            if (e.exceeded == "open") return Response::redirect(back + "?error=open&dossier=" + std::to_string(e.dossierId));
            if (e.exceeded == "line") return Response::redirect(back + "?error=line");
            return Response::redirect(back + "?error=" + conflictCode);
        } catch (const services::InputError&) {
            return Response::redirect(back + "?error=input");
        }
        return Response::redirect(back + "?ok=" + okCode);
    });
}

std::string field(const std::map<std::string, std::string>& form, const char* name, std::size_t max = 1000) {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second.substr(0, max);
}

}  // namespace

void addFinanceRoutes(Router& router, services::Context& ctx, const PortalOptions& opts) {
    const bool secure = opts.secureCookies;

    router.add("GET", "/payments", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            pages::PaymentsView v;
            v.staff = s.principal.staff();
            v.csrf = s.csrfToken;
            v.state = queryText(req, "state", 20);
            store::payments::LineFilter f;
            if (v.state == "unmatched" || v.state == "suggested" || v.state == "matched") {
                f.states = {v.state};
            } else if (v.state != "all") {
                v.state = "open";
                f.states = {"unmatched", "suggested"};
            }
            v.from = queryText(req, "from", 10);
            v.to = queryText(req, "to", 10);
            if (parsers::CivilDate::parseIso(v.from)) f.bookedFrom = v.from;
            if (parsers::CivilDate::parseIso(v.to)) f.bookedTo = v.to;
            v.amount = queryText(req, "amount", 20);
            if (!v.amount.empty())
                if (auto a = parseAmount(v.amount, "EUR")) f.absAmountMinor = *a < 0 ? -*a : *a;
            v.dossierId = queryId(req, "dossier");
            f.dossierId = v.dossierId;
            if (v.staff) {
                v.creditorId = queryId(req, "creditor");
                v.creditors = services::creditorsForStaff(ctx, s.principal);
            }
            const auto after = queryId(req, "after").value_or(0);
            v.items = pay::listPayments(ctx, narrowed(s.principal, v.creditorId), f, kQueuePage, after);
            if (v.items.size() == kQueuePage) v.nextAfterId = v.items.back().line.id;
            return rememberLanguage(req, Response::html(200, pages::paymentsPage(sessionLayout(s, req), v)), secure);
        });
    });

    router.add("GET", "/payments/{id}", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            auto item = pay::payment(ctx, s.principal, std::stoll(req.params.at("id")));
            if (!item) return notFoundResponse();  // missing and another creditor's look the same
            const Layout layout = sessionLayout(s, req);
            pages::PaymentView v;
            v.csrf = s.csrfToken;
            v.ok = okText(layout.lang, queryText(req, "ok", 20));
            v.error = errorText(ctx, s.principal, layout.lang, req, *item);
            v.q = queryText(req, "q");
            v.searched = req.query.count("q") > 0;
            // The portal's dossier search, within the line's creditor when the line is on its account.
            // Terms separated by commas are searched one by one, so one form can split the line over
            // dossiers that no single term finds ("INV-1, INV-2").
            std::size_t terms = 0;
            for (std::size_t start = 0; start <= v.q.size() && terms < kSearchTerms;) {
                const auto comma = std::min(v.q.find(',', start), v.q.size());
                std::string term = v.q.substr(start, comma - start);
                start = comma + 1;
                term.erase(0, term.find_first_not_of(' '));
                term.erase(term.find_last_not_of(' ') + 1);
                if (term.empty()) continue;
                ++terms;
                store::portal_reads::Search search;
                search.text = term;
                search.limit = kSearchResults;
                for (auto& r : services::searchDossiers(ctx, narrowed(s.principal, item->line.creditorId), search)) {
                    const bool seen = std::any_of(v.results.begin(), v.results.end(),
                                                  [&](const auto& x) { return x.id == r.id; });
                    if (!seen && r.openMinor > 0 && r.currency == item->line.currency && v.results.size() < kSearchResults)
                        v.results.push_back(std::move(r));
                }
            }
            v.item = std::move(*item);
            return rememberLanguage(req, Response::html(200, pages::paymentPage(layout, v)), secure);
        });
    });

    router.add("POST", "/payments/{id}/confirm", [&ctx](Request& req) {
        return lineAction(ctx, req, "confirmed", "nothing",
                          [&](const services::ActiveSession& s, std::int64_t id, const auto& form) -> std::string {
                              const auto dossier = positiveId(field(form, "dossier", 20));
                              if (!dossier) return "suggestion";
                              const auto item = pay::payment(ctx, s.principal, id);
                              if (!item) throw services::NotFound("no payment");
                              bool suggested = false;
                              for (const auto& x : item->suggestions) suggested = suggested || x.dossierId == *dossier;
                              if (!suggested) return "suggestion";
                              pay::confirmSuggestion(ctx, s.principal, id, *dossier);
                              return "";
                          });
    });

    router.add("POST", "/payments/{id}/match", [&ctx](Request& req) {
        return lineAction(ctx, req, "matched", "conflict",
                          [&](const services::ActiveSession& s, std::int64_t id, const auto& form) -> std::string {
                              const auto item = pay::payment(ctx, s.principal, id);
                              if (!item) throw services::NotFound("no payment");
                              std::vector<pay::ManualAllocation> split;
                              for (const auto& [k, value] : form) {
                                  if (k.rfind("amount_", 0) != 0 || value.empty()) continue;
                                  const auto dossier = positiveId(k.substr(7));
                                  const auto amount = parseAmount(value.substr(0, 30), item->line.currency);
                                  if (!dossier || !amount || *amount <= 0) return "amount";
                                  split.push_back(pay::ManualAllocation{*dossier, *amount});
                                  if (split.size() > 50) return "amount";
                              }
                              if (split.empty()) return "none";
                              pay::matchByHand(ctx, s.principal, id, split);
                              return "";
                          });
    });

    router.add("POST", "/payments/{id}/mark", [&ctx](Request& req) {
        return lineAction(ctx, req, "marked", "matched",
                          [&](const services::ActiveSession& s, std::int64_t id, const auto& form) -> std::string {
                              const std::string mark = field(form, "mark", 20);
                              if (mark != "not_ours" && mark != "refund" && mark != "bank_costs") return "mark";
                              pay::markLine(ctx, s.principal, id, mark, field(form, "reason"));
                              return "";
                          });
    });

    router.add("POST", "/payments/{id}/undo", [&ctx](Request& req) {
        return lineAction(ctx, req, "undone", "conflict",
                          [&](const services::ActiveSession& s, std::int64_t id, const auto& form) -> std::string {
                              std::string reason = field(form, "reason");
                              if (reason.find_first_not_of(" \t\r\n") == std::string::npos) return "reason";
                              pay::undoLine(ctx, s.principal, id, reason);
                              return "";
                          });
    });

    router.add("GET", "/payments/upload", [&ctx, secure](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            pages::UploadView v;
            v.csrf = s.csrfToken;
            return rememberLanguage(req, Response::html(200, pages::uploadPage(sessionLayout(s, req), v)), secure);
        });
    });

    router.add("POST", "/payments/upload", [&ctx](Request& req) {
        return withSession(ctx, req, [&](const services::ActiveSession& s) {
            const std::string contentType = req.header("Content-Type");
            if (!isMultipart(contentType)) return forbiddenPage(req);
            const auto form = parseMultipart(contentType, req.body);
            if (!form) return Response::html(400, pages::errorPage(requestLanguage(req), "400", "bad request"));
            auto csrf = form->fields.find("csrf");
            if (!csrfMatches(s.csrfToken, csrf == form->fields.end() ? std::string() : csrf->second))
                return forbiddenPage(req);
            pages::UploadView v;
            v.csrf = s.csrfToken;
            const Layout layout = sessionLayout(s, req);
            auto file = form->files.find("file");
            if (file == form->files.end() || file->second.bytes.empty()) {
                v.error = i18n::text(layout.lang, "f_upload_empty");
                return Response::html(422, pages::uploadPage(layout, v));
            }
            // The name a browser sends is display only: its last path segment, bounded.
            std::string name = file->second.filename;
            if (auto slash = name.find_last_of("/\\"); slash != std::string::npos) name = name.substr(slash + 1);
            name = name.substr(0, 120);
            if (name.empty()) name = "statement";
            v.filename = name;
            if (!pay::sniffStatement(std::string_view(file->second.bytes).substr(0, 1 << 20))) {
                v.error = i18n::text(layout.lang, "f_upload_not_statement");
                return Response::html(422, pages::uploadPage(layout, v));
            }
            const auto out = services::importFile(ctx, s.principal.creditorId, "portal", name, file->second.bytes);
            if (out.quarantined || !out.statement) {
                v.error = out.error.empty() ? i18n::text(layout.lang, "f_upload_not_statement") : out.error;
                return Response::html(422, pages::uploadPage(layout, v));
            }
            v.outcome = out.statement;
            return Response::html(200, pages::uploadPage(layout, v));
        });
    });
}

}  // namespace duegate::portal
