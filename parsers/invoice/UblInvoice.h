// A Peppol BIS Billing 3.0 (EN 16931) UBL 2.1 Invoice or CreditNote, reduced to what collection
// needs: who owes whom how much, by when, how to pay, and the PDF rendering.
//
// parseUbl(xml) is pure and never throws for bad data. XML is read with external general and
// parameter entities off; a DOCTYPE anywhere in the prolog is rejected (no DTD, no entity tricks).
// Errors are located (line, field path such as "cac:LegalMonetaryTotal/cbc:PayableAmount").
//
// Sign semantics (documented in docs/formats-invoice.md):
// - Amounts are copied with the sign written in the document, in minor units of `currency`.
// - An Invoice with negative amounts (a correction, type code 380 used negatively) keeps them negative.
// - A CreditNote's amounts are written positive in UBL but *reduce* what the buyer owes:
//   `creditNote()` is true and `signedPayableMinor()` returns -payableMinor for them. Code that adds
//   documents to a balance must use signedPayableMinor(), never payableMinor directly.
// Bounds: input at most 20 MiB, at most 50 embedded documents, each decoded at most 15 MiB.
// Thread-safety: pure function; results are plain values.
#pragma once

#include "parsers/common/CivilDate.h"
#include "parsers/common/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::invoice {

struct Party {
    std::string name;            // PartyName/Name, else PartyLegalEntity/RegistrationName
    std::string legalName;       // PartyLegalEntity/RegistrationName
    std::string vatId;           // PartyTaxScheme/CompanyID where TaxScheme/ID = VAT ("BE0123456749")
    std::string companyId;       // PartyLegalEntity/CompanyID (e.g. Belgian enterprise number)
    std::string endpointId;      // Peppol EndpointID
    std::string endpointScheme;  // its schemeID ("0208", "9925", ...)
    std::string street, additionalStreet, city, postcode, country;  // PostalAddress; country ISO 3166
    std::string contactName, email, phone;                          // Contact
};

struct PaymentMeans {
    std::string code;     // UNCL4461 PaymentMeansCode ("30", "58" SEPA credit transfer, "59" direct debit)
    std::string iban;     // PayeeFinancialAccount/ID normalised (no spaces, upper case); raw if not an IBAN
    std::string bic;      // FinancialInstitutionBranch/ID
    std::string accountName;
    std::string paymentId;            // PaymentID as written (the structured communication)
    std::optional<std::string> ogm;   // 12 digits when paymentId is a valid Belgian OGM/VCS
    std::optional<std::string> rf;    // normalised "RF.." when paymentId is a valid ISO 11649 reference
    std::string mandateId;            // PaymentMandate/ID for direct debit
};

struct EmbeddedDocument {
    std::string id;        // AdditionalDocumentReference/ID
    std::string filename;  // EmbeddedDocumentBinaryObject/@filename; data, never a path
    std::string mimeCode;  // @mimeCode ("application/pdf")
    std::string description;
    std::string bytes;     // base64 decoded
};

struct UblInvoice {
    std::string documentType;    // "Invoice" | "CreditNote"
    std::string customizationId; // cbc:CustomizationID (Peppol BIS 3 identifier)
    std::string number;          // cbc:ID
    std::string typeCode;        // InvoiceTypeCode / CreditNoteTypeCode ("380", "381", ...)
    CivilDate issueDate;
    std::optional<CivilDate> dueDate;  // cbc:DueDate, else PaymentTerms-free PaymentMeans/PaymentDueDate
    std::string currency;        // DocumentCurrencyCode
    std::string buyerReference;
    std::int64_t lineExtensionMinor = 0;
    std::int64_t taxExclusiveMinor = 0;
    std::int64_t taxInclusiveMinor = 0;
    std::int64_t taxMinor = 0;         // TaxTotal/TaxAmount in document currency
    std::int64_t allowanceMinor = 0;   // AllowanceTotalAmount (0 when absent)
    std::int64_t chargeMinor = 0;      // ChargeTotalAmount (0 when absent)
    std::int64_t prepaidMinor = 0;     // PrepaidAmount (0 when absent)
    std::int64_t roundingMinor = 0;    // PayableRoundingAmount (0 when absent)
    std::int64_t payableMinor = 0;     // PayableAmount, sign as written
    Party seller, buyer;
    PaymentMeans payment;              // the first PaymentMeans (credit transfer preferred)
    std::string paymentTerms;          // PaymentTerms/Note
    std::string orderReference;        // OrderReference/ID
    std::string salesOrderReference;   // OrderReference/SalesOrderID
    std::string contractReference;     // ContractDocumentReference/ID
    std::string billingReference;      // BillingReference/InvoiceDocumentReference/ID (credited invoice)
    std::vector<EmbeddedDocument> attachments;
    std::vector<std::string> warnings; // e.g. totals that do not add up

    bool creditNote() const { return documentType == "CreditNote"; }
    // What the buyer owes because of this document: negative for a credit note.
    std::int64_t signedPayableMinor() const { return creditNote() ? -payableMinor : payableMinor; }
};

struct UblLimits {
    std::size_t maxBytes = 20u << 20;
    std::size_t maxAttachments = 50;
    std::size_t maxAttachmentBytes = 15u << 20;
    std::size_t maxXmlDepth = 64;  // XmlLimits::maxDepth
};

Result<UblInvoice> parseUbl(std::string_view xml, const UblLimits& limits = {});

}  // namespace duegate::parsers::invoice
