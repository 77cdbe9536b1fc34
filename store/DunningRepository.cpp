#include "store/DunningRepository.h"

#include <map>

namespace duegate::store::dunning {
namespace {

const char* kCandidateSelect =
    "SELECT d.id, d.creditor_id, d.debtor_id, d.reference, d.status, d.currency, d.open_minor, "
    "(SELECT COALESCE(SUM(i.amount_minor), 0) FROM invoices i WHERE i.dossier_id = d.id), "
    "(SELECT MIN(i.due_date) FROM invoices i WHERE i.dossier_id = d.id AND i.document_type = 'Invoice'), "
    "d.ogm, d.language, d.payment_reference, d.payee_name, d.payee_iban, d.payee_bic, d.case_manager_id, "
    "b.name, b.kind, b.email, b.phone, b.street, b.postcode, b.city, b.country, b.language, b.sms_off_at, "
    "(SELECT COALESCE(SUM(x.amount_minor), 0) FROM dossier_charges x WHERE x.dossier_id = d.id AND x.kind = 'costs'), "
    "(SELECT COALESCE(SUM(x.amount_minor), 0) FROM dossier_charges x WHERE x.dossier_id = d.id) - "
    "(SELECT COALESCE(SUM(m.costs_minor + m.interest_minor), 0) FROM payment_matches m WHERE m.dossier_id = d.id "
    "AND m.undone_at IS NULL) "
    "FROM dossiers d JOIN debtors b ON b.id = d.debtor_id AND b.creditor_id = d.creditor_id ";

Candidate candidateFrom(const Row& r) {
    Candidate c;
    c.dossierId = r.integer(0);
    c.creditorId = r.integer(1);
    c.debtorId = r.integer(2);
    c.reference = r.text(3);
    c.status = r.text(4);
    c.currency = r.text(5);
    c.openMinor = r.integer(6);
    c.invoicedMinor = r.isNull(7) ? 0 : r.integer(7);
    c.dueDate = r.optText(8);
    c.ogm = r.optText(9);
    c.dossierLanguage = r.optText(10);
    c.paymentReference = r.optText(11);
    c.payeeName = r.optText(12);
    c.payeeIban = r.optText(13);
    c.payeeBic = r.optText(14);
    c.caseManagerId = r.optInteger(15);
    c.debtorName = r.text(16);
    c.debtorKind = r.text(17);
    c.debtorEmail = r.optText(18);
    c.debtorPhone = r.optText(19);
    c.debtorStreet = r.optText(20);
    c.debtorPostcode = r.optText(21);
    c.debtorCity = r.optText(22);
    c.debtorCountry = r.optText(23);
    c.debtorLanguage = r.optText(24);
    c.smsOff = !r.isNull(25);
    c.costsClaimedMinor = r.integer(26);
    c.chargesOwedMinor = r.integer(27);
    return c;
}

const char* kStepColumns = "dossier_id, step, policy, effect, run_date, channels, received_on, term_last_day";

StepRow stepFrom(const Row& r) {
    return StepRow{r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.optText(6), r.optText(7)};
}

const char* kPromiseColumns =
    "id, creditor_id, dossier_id, made_on, promised_date, amount_minor, currency, state, source";

PromiseRow promiseFrom(const Row& r) {
    return PromiseRow{r.integer(0), r.integer(1), r.integer(2), r.text(3), r.text(4),
                      r.optInteger(5), r.text(6), r.text(7), r.text(8)};
}

const char* kPlanColumns =
    "id, creditor_id, dossier_id, state, instalments, first_date, total_minor, open_at_start_minor, currency, "
    "requested_on, approved_by";

PlanRow planFrom(const Row& r) {
    PlanRow p;
    p.id = r.integer(0);
    p.creditorId = r.integer(1);
    p.dossierId = r.integer(2);
    p.state = r.text(3);
    p.instalmentCount = r.integer(4);
    p.firstDate = r.text(5);
    p.totalMinor = r.integer(6);
    p.openAtStartMinor = r.integer(7);
    p.currency = r.text(8);
    p.requestedOn = r.text(9);
    p.approvedBy = r.optText(10);
    return p;
}

void loadInstalments(Tx& tx, PlanRow& p) {
    p.instalments.clear();
    for (const auto& r : tx.query("SELECT seq, due_date, amount_minor FROM plan_instalments WHERE plan_id = $1 "
                                  "ORDER BY seq",
                                  {p.id}))
        p.instalments.push_back(InstalmentRow{r.integer(0), r.text(1), r.integer(2)});
}

}  // namespace

std::vector<Candidate> openPage(Tx& tx, std::int64_t afterId, std::size_t limit) {
    std::vector<Candidate> out;
    out.reserve(limit);
    for (const auto& r : tx.query(std::string(kCandidateSelect) +
                                      "WHERE d.id > $1 AND d.status IN ('active', 'promised', 'plan') "
                                      "ORDER BY d.id LIMIT $2",
                                  {afterId, static_cast<std::int64_t>(limit)}))
        out.push_back(candidateFrom(r));
    return out;
}

std::optional<Candidate> candidate(Tx& tx, std::optional<std::int64_t> scope, std::int64_t dossierId) {
    std::vector<Value> params{dossierId};
    std::string where = "WHERE d.id = $1";
    if (scope) {
        params.push_back(*scope);
        where += " AND d.creditor_id = $2";
    }
    auto r = tx.queryOne(std::string(kCandidateSelect) + where, params);
    if (!r) return std::nullopt;
    return candidateFrom(*r);
}

std::vector<StepRow> stepsInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<StepRow> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kStepColumns +
                                      " FROM dunning_steps WHERE dossier_id > $1 AND dossier_id <= $2 "
                                      "ORDER BY dossier_id, id",
                                  {fromId, toId}))
        out.push_back(stepFrom(r));
    return out;
}

std::vector<StepRow> steps(Tx& tx, std::int64_t dossierId) { return stepsInRange(tx, dossierId - 1, dossierId); }

bool insertStep(Tx& tx, std::int64_t creditorId, const StepRow& s, const std::string& now) {
    auto r = tx.queryOne(
        "INSERT INTO dunning_steps (creditor_id, dossier_id, step, policy, effect, run_date, channels, received_on, "
        "term_last_day, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
        "ON CONFLICT (creditor_id, dossier_id, step) DO NOTHING RETURNING id",
        {creditorId, s.dossierId, s.step, s.policy, s.effect, s.runDate, s.channels, optionalText(s.receivedOn),
         optionalText(s.termLastDay), now});
    return r.has_value();
}

std::vector<PromiseRow> latestPromisesInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<PromiseRow> out;
    for (const auto& r : tx.query(std::string("SELECT ") + kPromiseColumns +
                                      " FROM promises p WHERE dossier_id > $1 AND dossier_id <= $2 AND id = "
                                      "(SELECT MAX(id) FROM promises q WHERE q.dossier_id = p.dossier_id) "
                                      "ORDER BY dossier_id",
                                  {fromId, toId}))
        out.push_back(promiseFrom(r));
    return out;
}

std::optional<PromiseRow> latestPromise(Tx& tx, std::int64_t dossierId) {
    auto r = tx.queryOne(std::string("SELECT ") + kPromiseColumns +
                             " FROM promises WHERE dossier_id = $1 ORDER BY id DESC LIMIT 1",
                         {dossierId});
    if (!r) return std::nullopt;
    return promiseFrom(*r);
}

std::int64_t insertPromise(Tx& tx, const PromiseRow& p, const std::string& now) {
    return tx.insertReturningId(
        "INSERT INTO promises (creditor_id, dossier_id, made_on, promised_date, amount_minor, currency, state, source, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {p.creditorId, p.dossierId, p.madeOn, p.promisedDate, optionalInt(p.amountMinor), p.currency, p.state,
         p.source, now});
}

void closeOpenPromises(Tx& tx, std::int64_t dossierId, const std::string& state, const std::string& now) {
    tx.exec("UPDATE promises SET state = $2, closed_at = $3 WHERE dossier_id = $1 AND state = 'open'",
            {dossierId, state, now});
}

std::vector<PlanRow> activePlansInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<PlanRow> out;
    std::map<std::int64_t, std::size_t> byId;
    for (const auto& r : tx.query(std::string("SELECT ") + kPlanColumns +
                                      " FROM payment_plans WHERE dossier_id > $1 AND dossier_id <= $2 "
                                      "AND state = 'active' ORDER BY dossier_id, id",
                                  {fromId, toId})) {
        byId[r.integer(0)] = out.size();
        out.push_back(planFrom(r));
    }
    if (out.empty()) return out;
    for (const auto& r : tx.query("SELECT i.plan_id, i.seq, i.due_date, i.amount_minor FROM plan_instalments i "
                                  "JOIN payment_plans p ON p.id = i.plan_id AND p.creditor_id = i.creditor_id WHERE p.dossier_id > $1 AND "
                                  "p.dossier_id <= $2 AND p.state = 'active' ORDER BY i.plan_id, i.seq",
                                  {fromId, toId})) {
        auto it = byId.find(r.integer(0));
        if (it != byId.end()) out[it->second].instalments.push_back(InstalmentRow{r.integer(1), r.text(2), r.integer(3)});
    }
    return out;
}

std::optional<PlanRow> latestPlan(Tx& tx, std::int64_t dossierId, const std::vector<std::string>& states) {
    std::vector<Value> params{dossierId};
    std::string in;
    for (const auto& s : states) {
        params.push_back(s);
        in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    auto r = tx.queryOne(std::string("SELECT ") + kPlanColumns + " FROM payment_plans WHERE dossier_id = $1" +
                             (in.empty() ? "" : " AND state IN (" + in + ")") + " ORDER BY id DESC LIMIT 1",
                         params);
    if (!r) return std::nullopt;
    PlanRow p = planFrom(*r);
    loadInstalments(tx, p);
    return p;
}

std::optional<PlanRow> planById(Tx& tx, std::optional<std::int64_t> scope, std::int64_t planId) {
    std::vector<Value> params{planId};
    std::string where = " WHERE id = $1";
    if (scope) {
        params.push_back(*scope);
        where += " AND creditor_id = $2";
    }
    auto r = tx.queryOne(std::string("SELECT ") + kPlanColumns + " FROM payment_plans" + where, params);
    if (!r) return std::nullopt;
    PlanRow p = planFrom(*r);
    loadInstalments(tx, p);
    return p;
}

std::int64_t insertPlan(Tx& tx, const PlanRow& p, const std::string& now) {
    const auto id = tx.insertReturningId(
        "INSERT INTO payment_plans (creditor_id, dossier_id, state, instalments, first_date, total_minor, "
        "open_at_start_minor, currency, requested_on, approved_by, approved_at, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        {p.creditorId, p.dossierId, p.state, p.instalmentCount, p.firstDate, p.totalMinor, p.openAtStartMinor,
         p.currency, p.requestedOn, optionalText(p.approvedBy), p.approvedBy ? Value(now) : nullValue(), now});
    for (const auto& i : p.instalments)
        tx.exec("INSERT INTO plan_instalments (creditor_id, plan_id, dossier_id, seq, due_date, amount_minor, currency) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {p.creditorId, id, p.dossierId, i.seq, i.dueDate, i.amountMinor, p.currency});
    return id;
}

void setPlanState(Tx& tx, std::int64_t planId, const std::string& state, const std::optional<std::string>& approvedBy,
                  const std::string& now) {
    tx.exec("UPDATE payment_plans SET state = $2, approved_by = COALESCE($3, approved_by), updated_at = $4 "
            "WHERE id = $1",
            {planId, state, optionalText(approvedBy), now});
}

void startPlan(Tx& tx, std::int64_t planId, std::int64_t openAtStartMinor, const std::string& approvedBy,
               const std::string& now) {
    tx.exec("UPDATE payment_plans SET state = 'active', open_at_start_minor = $2, approved_by = $3, approved_at = $4, "
            "updated_at = $4 WHERE id = $1",
            {planId, openAtStartMinor, approvedBy, now});
}

std::vector<std::pair<std::int64_t, std::string>> bouncedInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& r : tx.query("SELECT DISTINCT dossier_id, channel FROM outbound_messages WHERE dossier_id > $1 "
                                  "AND dossier_id <= $2 AND state = 'bounced'",
                                  {fromId, toId}))
        out.emplace_back(r.integer(0), r.text(1));
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> reactionsInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const auto& r : tx.query("SELECT dossier_id, MAX(at) FROM events WHERE dossier_id > $1 AND dossier_id <= $2 "
                                  "AND kind IN ('reply_received', 'link_opened', 'promise_recorded', 'paid_reported', "
                                  "'plan_requested', 'contact_updated', 'call_logged', 'invoice_accepted', "
                                  "'dispute_opened') GROUP BY dossier_id",
                                  {fromId, toId}))
        out.emplace_back(r.integer(0), r.text(1).substr(0, 10));
    return out;
}

std::vector<std::int64_t> pausedInRange(Tx& tx, std::int64_t fromId, std::int64_t toId, const std::string& today) {
    std::vector<std::int64_t> out;
    for (const auto& r : tx.query("SELECT DISTINCT dossier_id FROM dossier_pauses WHERE dossier_id > $1 AND "
                                  "dossier_id <= $2 AND ended_at IS NULL AND (until_date IS NULL OR until_date >= $3)",
                                  {fromId, toId, today}))
        out.push_back(r.integer(0));
    return out;
}

std::vector<PayerHistory> payerHistoryInRange(Tx& tx, std::int64_t fromId, std::int64_t toId) {
    std::vector<PayerHistory> out;
    for (const auto& r : tx.query(
             "SELECT o.debtor_id, COUNT(DISTINCT CASE WHEN s.effect IN ('first_free_reminder', 'formal_notice', "
             "'claim_costs', 'lawyer_handover') THEN o.id END), COUNT(DISTINCT CASE WHEN o.status = 'paid' THEN o.id END) "
             "FROM dossiers o LEFT JOIN dunning_steps s ON s.dossier_id = o.id AND s.creditor_id = o.creditor_id WHERE o.debtor_id IN "
             "(SELECT debtor_id FROM dossiers WHERE id > $1 AND id <= $2) GROUP BY o.debtor_id",
             {fromId, toId}))
        out.push_back(PayerHistory{r.integer(0), r.integer(1), r.integer(2)});
    return out;
}

std::size_t cancelPlannedMessages(Tx& tx, std::int64_t dossierId, const std::string& reason, const std::string& now) {
    return tx.exec("UPDATE outbound_messages SET state = 'failed', last_error = $2, updated_at = $3 "
                   "WHERE dossier_id = $1 AND state = 'planned'",
                   {dossierId, reason, now});
}

std::vector<InvoiceLine> invoiceLines(Tx& tx, std::int64_t dossierId) {
    std::vector<InvoiceLine> out;
    for (const auto& r : tx.query("SELECT document_type, number, issue_date, currency, due_date, description, "
                                  "amount_minor FROM invoices WHERE dossier_id = $1 ORDER BY issue_date, id",
                                  {dossierId}))
        out.push_back(InvoiceLine{r.text(0), r.text(1), r.text(2), r.text(3), r.optText(4), r.optText(5), r.integer(6)});
    return out;
}

void setInvoiceDescription(Tx& tx, std::int64_t creditorId, const std::string& documentType, const std::string& number,
                           const std::string& description) {
    tx.exec("UPDATE invoices SET description = $4 WHERE creditor_id = $1 AND document_type = $2 AND number = $3",
            {creditorId, documentType, number, description});
}

std::optional<std::string> enterpriseNumber(Tx& tx, std::int64_t creditorId) {
    auto r = tx.queryOne("SELECT enterprise_number FROM creditors WHERE id = $1", {creditorId});
    if (!r) return std::nullopt;
    return r->optText(0);
}

void setEnterpriseNumberIfEmpty(Tx& tx, std::int64_t creditorId, const std::string& number) {
    tx.exec("UPDATE creditors SET enterprise_number = $2 WHERE id = $1 AND (enterprise_number IS NULL OR "
            "enterprise_number = '')",
            {creditorId, number});
}

}  // namespace duegate::store::dunning
