// The texts duegate sends about intake: the acknowledgement to the creditor, the quarantine reply
// (to known senders only), and the payment notice to the debtor with the personal link.
// Plain text, English; the amounts are pre-formatted by the caller ("EUR 1234.50").
#pragma once

#include <string>
#include <vector>

namespace duegate::services {

struct MailText {
    std::string subject;
    std::string body;
};

struct AckLine {
    std::string text;  // "Dossier D2026-000001 created for invoice INV-1 ..."
};

MailText ackMail(const std::string& agency, const std::string& originalSubject, const std::string& receivedAt,
                 const std::vector<std::string>& done, const std::vector<std::string>& attention,
                 const std::string& portalUrl);

MailText quarantineReply(const std::string& agency, const std::string& originalSubject, const std::string& receivedAt,
                         const std::string& reason);

struct NoticeFields {
    std::string creditorName;
    std::string debtorName;
    std::string invoiceNumber;
    std::string issueDate, dueDate;
    std::string amount;          // "EUR 1234.50"
    std::string payeeName;       // the account holder the debtor pays (the dossier's payee)
    std::string iban, bic;       // where to pay; may be empty
    std::string reference;       // "+++123/4567/89002+++" or RF; may be empty
    std::string link;            // {base_url}/d/{token}
};

MailText paymentNotice(const NoticeFields& f);

}  // namespace duegate::services
