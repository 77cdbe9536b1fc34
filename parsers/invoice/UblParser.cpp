// parseUbl: Peppol BIS 3 Invoice / CreditNote -> UblInvoice (contract in UblInvoice.h).
#include "parsers/invoice/UblInvoice.h"

#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"
#include "parsers/invoice/XmlTree.h"
#include "parsers/mime/TransferDecoding.h"
#include "parsers/refs/Iban.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <optional>

namespace duegate::parsers::invoice {
namespace {

constexpr std::string_view kInvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
constexpr std::string_view kCreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

std::string text(const XmlNode* n) { return n ? n->trimmedText() : std::string(); }
std::string text(const XmlNode& root, std::string_view path) { return text(root.path(path)); }

struct Ctx {
    std::optional<Error> error;
    void fail(std::size_t line, std::string field, std::string message) {
        if (!error) error = errorAtLine(line, std::move(field), std::move(message));
    }
};

// An amount element in the document currency, in minor units. Absent -> fallback.
std::int64_t amount(Ctx& ctx, const XmlNode* parent, std::string_view path, const std::string& currency, int exponent,
                    std::optional<std::int64_t> fallback) {
    const XmlNode* n = parent ? parent->path(path) : nullptr;
    if (!n) {
        if (!fallback) ctx.fail(parent ? parent->line : 0, std::string(path), "missing");
        return fallback.value_or(0);
    }
    const std::string t = n->trimmedText();
    const std::string cur = n->attribute("currencyID");
    if (!cur.empty() && cur != currency) {
        ctx.fail(n->line, n->qname, "currencyID " + cur + " differs from the document currency " + currency);
        return 0;
    }
    const auto d = parseDecimal(t);
    if (!d) {
        ctx.fail(n->line, n->qname, "not a decimal: '" + t + "'");
        return 0;
    }
    const auto minor = toMinorUnits(*d, exponent);
    if (!minor) {
        ctx.fail(n->line, n->qname, "'" + t + "' has more decimals than " + currency + " allows or is too large");
        return 0;
    }
    return *minor;
}

std::optional<CivilDate> date(Ctx& ctx, const XmlNode* n) {
    if (!n) return std::nullopt;
    const std::string t = n->trimmedText();
    auto d = CivilDate::parseIso(t);
    if (!d) ctx.fail(n->line, n->qname, "not a date YYYY-MM-DD: '" + t + "'");
    return d;
}

Party party(const XmlNode* p) {
    Party out;
    if (!p) return out;
    if (const auto* e = p->child("EndpointID")) {
        out.endpointId = e->trimmedText();
        out.endpointScheme = e->attribute("schemeID");
    }
    out.name = text(*p, "PartyName/Name");
    out.legalName = text(*p, "PartyLegalEntity/RegistrationName");
    if (out.name.empty()) out.name = out.legalName;
    out.companyId = text(*p, "PartyLegalEntity/CompanyID");
    for (const auto* ts : p->all("PartyTaxScheme")) {
        const std::string scheme = text(*ts, "TaxScheme/ID");
        const std::string id = text(*ts, "CompanyID");
        if (scheme == "VAT" || out.vatId.empty()) out.vatId = id;
        if (scheme == "VAT") break;
    }
    if (const auto* a = p->child("PostalAddress")) {
        out.street = text(*a, "StreetName");
        out.additionalStreet = text(*a, "AdditionalStreetName");
        out.city = text(*a, "CityName");
        out.postcode = text(*a, "PostalZone");
        out.country = text(*a, "Country/IdentificationCode");
    }
    if (const auto* c = p->child("Contact")) {
        out.contactName = text(*c, "Name");
        out.phone = text(*c, "Telephone");
        out.email = text(*c, "ElectronicMail");
    }
    return out;
}

PaymentMeans paymentMeans(const XmlNode& root) {
    PaymentMeans out;
    const auto all = root.all("PaymentMeans");
    const XmlNode* chosen = nullptr;
    for (const auto* pm : all)
        if (pm->child("PayeeFinancialAccount")) { chosen = pm; break; }
    if (!chosen && !all.empty()) chosen = all.front();
    if (!chosen) return out;
    out.code = text(*chosen, "PaymentMeansCode");
    out.paymentId = text(*chosen, "PaymentID");
    if (const auto* acc = chosen->child("PayeeFinancialAccount")) {
        const std::string id = text(*acc, "ID");
        auto iban = refs::normalizeIban(id);
        out.iban = iban ? *iban : id;
        out.accountName = text(*acc, "Name");
        out.bic = text(*acc, "FinancialInstitutionBranch/ID");
    }
    if (const auto* m = chosen->child("PaymentMandate")) {
        out.mandateId = text(*m, "ID");
        if (out.iban.empty()) {
            const std::string id = text(*m, "PayerFinancialAccount/ID");
            auto iban = refs::normalizeIban(id);
            out.iban = iban ? *iban : id;
        }
    }
    if (!out.paymentId.empty()) {
        out.ogm = refs::parseOgm(out.paymentId);
        out.rf = refs::parseRf(out.paymentId);
    }
    return out;
}

}  // namespace

Result<UblInvoice> parseUbl(std::string_view xml, const UblLimits& limits) {
    XmlLimits xl;
    xl.maxBytes = limits.maxBytes;
    xl.maxDepth = limits.maxXmlDepth;
    auto tree = parseXmlTree(xml, xl);
    if (!tree) return tree.error();
    const XmlNode& root = *tree.value();
    UblInvoice inv;
    if (root.name == "Invoice" && root.ns == kInvoiceNs) inv.documentType = "Invoice";
    else if (root.name == "CreditNote" && root.ns == kCreditNoteNs) inv.documentType = "CreditNote";
    else return errorAtLine(root.line, "root", "not a UBL Invoice or CreditNote: <" + root.qname + "> in namespace '" + root.ns + "'");

    Ctx ctx;
    inv.customizationId = text(root, "CustomizationID");
    inv.number = text(root, "ID");
    if (inv.number.empty()) ctx.fail(root.line, "cbc:ID", "missing invoice number");
    inv.typeCode = text(root, inv.creditNote() ? "CreditNoteTypeCode" : "InvoiceTypeCode");
    if (auto d = date(ctx, root.child("IssueDate"))) inv.issueDate = *d;
    else ctx.fail(root.line, "cbc:IssueDate", "missing issue date");
    inv.dueDate = date(ctx, root.child("DueDate"));
    if (!inv.dueDate)
        for (const auto* pm : root.all("PaymentMeans"))
            if (auto d = date(ctx, pm->child("PaymentDueDate"))) { inv.dueDate = d; break; }
    inv.currency = text(root, "DocumentCurrencyCode");
    const auto exponent = currencyExponent(inv.currency);
    if (!exponent) {
        const auto* n = root.child("DocumentCurrencyCode");
        return errorAtLine(n ? n->line : root.line, "cbc:DocumentCurrencyCode", "unknown currency '" + inv.currency + "'");
    }
    inv.buyerReference = text(root, "BuyerReference");

    const XmlNode* totals = root.child("LegalMonetaryTotal");
    if (!totals) return errorAtLine(root.line, "cac:LegalMonetaryTotal", "missing");
    inv.lineExtensionMinor = amount(ctx, totals, "LineExtensionAmount", inv.currency, *exponent, 0);
    inv.taxExclusiveMinor = amount(ctx, totals, "TaxExclusiveAmount", inv.currency, *exponent, 0);
    inv.taxInclusiveMinor = amount(ctx, totals, "TaxInclusiveAmount", inv.currency, *exponent, 0);
    inv.allowanceMinor = amount(ctx, totals, "AllowanceTotalAmount", inv.currency, *exponent, 0);
    inv.chargeMinor = amount(ctx, totals, "ChargeTotalAmount", inv.currency, *exponent, 0);
    inv.prepaidMinor = amount(ctx, totals, "PrepaidAmount", inv.currency, *exponent, 0);
    inv.roundingMinor = amount(ctx, totals, "PayableRoundingAmount", inv.currency, *exponent, 0);
    inv.payableMinor = amount(ctx, totals, "PayableAmount", inv.currency, *exponent, std::nullopt);
    // Tax total in the document currency (a second TaxTotal may be in the accounting currency).
    for (const auto* tt : root.all("TaxTotal")) {
        const auto* ta = tt->child("TaxAmount");
        if (ta && (ta->attribute("currencyID").empty() || ta->attribute("currencyID") == inv.currency)) {
            inv.taxMinor = amount(ctx, tt, "TaxAmount", inv.currency, *exponent, 0);
            break;
        }
    }
    if (ctx.error) return *ctx.error;

    inv.seller = party(root.path("AccountingSupplierParty/Party"));
    inv.buyer = party(root.path("AccountingCustomerParty/Party"));
    inv.payment = paymentMeans(root);
    inv.paymentTerms = text(root, "PaymentTerms/Note");
    inv.orderReference = text(root, "OrderReference/ID");
    inv.salesOrderReference = text(root, "OrderReference/SalesOrderID");
    inv.contractReference = text(root, "ContractDocumentReference/ID");
    inv.billingReference = text(root, "BillingReference/InvoiceDocumentReference/ID");

    for (const auto* ref : root.all("AdditionalDocumentReference")) {
        const auto* bin = ref->path("Attachment/EmbeddedDocumentBinaryObject");
        if (!bin) continue;
        if (inv.attachments.size() >= limits.maxAttachments)
            return errorAtLine(ref->line, "cac:AdditionalDocumentReference", "more than " + std::to_string(limits.maxAttachments) + " embedded documents");
        EmbeddedDocument doc;
        doc.id = text(*ref, "ID");
        doc.description = text(*ref, "DocumentDescription");
        doc.filename = bin->attribute("filename");
        doc.mimeCode = bin->attribute("mimeCode");
        if (bin->text.size() / 4 * 3 > limits.maxAttachmentBytes + 3)
            return errorAtLine(bin->line, "cbc:EmbeddedDocumentBinaryObject", "embedded document larger than " + std::to_string(limits.maxAttachmentBytes) + " bytes");
        if (!mime::decodeBase64(bin->text, doc.bytes))
            inv.warnings.push_back("embedded document '" + doc.filename + "': base64 ends in the middle of a group");
        inv.attachments.push_back(std::move(doc));
    }

    // EN 16931 arithmetic (BR-CO-15, BR-CO-16): flagged, not fatal; a person decides.
    if (root.path("LegalMonetaryTotal/TaxInclusiveAmount") && root.child("TaxTotal") &&
        inv.taxInclusiveMinor != inv.taxExclusiveMinor + inv.taxMinor)
        inv.warnings.push_back("tax inclusive amount differs from tax exclusive amount plus tax");
    if (root.path("LegalMonetaryTotal/TaxInclusiveAmount") &&
        inv.payableMinor != inv.taxInclusiveMinor - inv.prepaidMinor + inv.roundingMinor)
        inv.warnings.push_back("payable amount differs from tax inclusive amount minus prepaid plus rounding");
    return inv;
}

}  // namespace duegate::parsers::invoice
