#include "parsers/invoice/InvoiceJson.h"

#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"
#include "parsers/common/JsonWriter.h"
#include "parsers/common/Digest.h"

namespace duegate::parsers::invoice {
namespace {

void party(JsonWriter& w, const Party& p) {
    w.beginObject()
        .field("name", p.name)
        .field("legal_name", p.legalName)
        .field("vat_id", p.vatId)
        .field("company_id", p.companyId)
        .field("endpoint_id", p.endpointId)
        .field("endpoint_scheme", p.endpointScheme)
        .field("street", p.street)
        .field("additional_street", p.additionalStreet)
        .field("postcode", p.postcode)
        .field("city", p.city)
        .field("country", p.country)
        .field("contact_name", p.contactName)
        .field("email", p.email)
        .field("phone", p.phone)
        .endObject();
}

}  // namespace

std::string toJson(const UblInvoice& inv) {
    const int exp = currencyExponent(inv.currency).value_or(2);
    auto money = [&](std::int64_t v) { return formatMinorUnits(v, exp); };
    JsonWriter w;
    w.beginObject();
    w.field("format", "ubl");
    w.field("document_type", inv.documentType);
    w.field("customization_id", inv.customizationId);
    w.field("number", inv.number);
    w.field("type_code", inv.typeCode);
    w.field("issue_date", inv.issueDate.iso());
    w.field("due_date", inv.dueDate ? std::optional<std::string>(inv.dueDate->iso()) : std::nullopt);
    w.field("currency", inv.currency);
    w.field("buyer_reference", inv.buyerReference);
    w.key("totals").beginObject()
        .field("line_extension", money(inv.lineExtensionMinor))
        .field("allowance", money(inv.allowanceMinor))
        .field("charge", money(inv.chargeMinor))
        .field("tax_exclusive", money(inv.taxExclusiveMinor))
        .field("tax", money(inv.taxMinor))
        .field("tax_inclusive", money(inv.taxInclusiveMinor))
        .field("prepaid", money(inv.prepaidMinor))
        .field("rounding", money(inv.roundingMinor))
        .field("payable", money(inv.payableMinor))
        .field("signed_payable", money(inv.signedPayableMinor()))
        .endObject();
    w.key("seller");
    party(w, inv.seller);
    w.key("buyer");
    party(w, inv.buyer);
    w.key("payment").beginObject()
        .field("code", inv.payment.code)
        .field("iban", inv.payment.iban)
        .field("bic", inv.payment.bic)
        .field("account_name", inv.payment.accountName)
        .field("payment_id", inv.payment.paymentId)
        .field("ogm", inv.payment.ogm)
        .field("rf", inv.payment.rf)
        .field("mandate_id", inv.payment.mandateId)
        .endObject();
    w.field("payment_terms", inv.paymentTerms);
    w.field("order_reference", inv.orderReference);
    w.field("sales_order_reference", inv.salesOrderReference);
    w.field("contract_reference", inv.contractReference);
    w.field("billing_reference", inv.billingReference);
    w.key("attachments").beginArray();
    for (const auto& a : inv.attachments) {
        w.beginObject()
            .field("id", a.id)
            .field("filename", a.filename)
            .field("mime_code", a.mimeCode)
            .field("description", a.description)
            .field("size", static_cast<std::int64_t>(a.bytes.size()))
            .field("sha256", parsers::sha256Hex(a.bytes))
            .endObject();
    }
    w.endArray();
    w.key("warnings").beginArray();
    for (const auto& s : inv.warnings) w.value(s);
    w.endArray();
    w.endObject();
    return w.str();
}

namespace {

void proposal(JsonWriter& w, std::string_view key, const std::optional<Proposal>& p) {
    w.key(key);
    if (!p) {
        w.null();
        return;
    }
    w.beginObject()
        .field("value", p->value)
        .field("confidence", p->confidence)
        .field("confirmed", p->confirmed)
        .field("source", p->source)
        .endObject();
}

}  // namespace

std::string toJson(const PdfInvoice& inv) {
    JsonWriter w;
    w.beginObject();
    w.field("format", "pdf");
    w.field("pages", static_cast<std::int64_t>(inv.pages));
    w.key("proposals").beginObject();
    proposal(w, "invoice_number", inv.invoiceNumber);
    proposal(w, "issue_date", inv.issueDate);
    proposal(w, "due_date", inv.dueDate);
    proposal(w, "amount", inv.amount);
    proposal(w, "currency", inv.currency);
    proposal(w, "iban", inv.iban);
    proposal(w, "ogm", inv.ogm);
    proposal(w, "rf", inv.rf);
    proposal(w, "debtor_name", inv.debtorName);
    proposal(w, "debtor_email", inv.debtorEmail);
    w.endObject();
    w.field("text", inv.text);
    w.key("warnings").beginArray();
    for (const auto& s : inv.warnings) w.value(s);
    w.endArray();
    w.endObject();
    return w.str();
}

std::string toJson(const BulkSheet& sheet) {
    JsonWriter w;
    w.beginObject();
    w.field("format", sheet.source);
    w.field("header_row", static_cast<std::int64_t>(sheet.headerRow));
    w.key("rows").beginArray();
    for (const auto& r : sheet.rows) {
        const int exp = currencyExponent(r.currency).value_or(2);
        w.beginObject()
            .field("row", static_cast<std::int64_t>(r.row))
            .field("creditor_reference", r.creditorReference)
            .field("debtor_name", r.debtorName)
            .field("debtor_email", r.email)
            .field("debtor_phone", r.phone)
            .field("debtor_street", r.street)
            .field("debtor_postcode", r.postcode)
            .field("debtor_city", r.city)
            .field("debtor_country", r.country)
            .field("language", r.language)
            .field("vat_number", r.vatNumber)
            .field("invoice_number", r.invoiceNumber)
            .field("issue_date", r.issueDate.iso())
            .field("due_date", r.dueDate ? std::optional<std::string>(r.dueDate->iso()) : std::nullopt)
            .field("amount", formatMinorUnits(r.amountMinor, exp))
            .field("currency", r.currency)
            .field("ogm", r.ogm)
            .endObject();
    }
    w.endArray();
    w.key("errors").beginArray();
    for (const auto& e : sheet.errors)
        w.beginObject()
            .field("row", static_cast<std::int64_t>(e.row))
            .field("column", e.column)
            .field("cell", e.cell)
            .field("message", e.message)
            .endObject();
    w.endArray();
    w.endObject();
    return w.str();
}

}  // namespace duegate::parsers::invoice
