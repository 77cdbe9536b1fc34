#include "gateway/services/IntakeMessages.h"

namespace duegate::services {

MailText ackMail(const std::string& agency, const std::string& originalSubject, const std::string& receivedAt,
                 const std::vector<std::string>& done, const std::vector<std::string>& attention,
                 const std::string& portalUrl) {
    MailText m;
    const std::string count = std::to_string(done.size()) + (done.size() == 1 ? " dossier" : " dossiers");
    m.subject = "Received: " + (originalSubject.empty() ? std::string("(no subject)") : originalSubject) + " - " +
                count + (attention.empty() ? "" : ", " + std::to_string(attention.size()) + " to check");
    m.body = "Hello,\n\n" + agency + " received your mail \"" + originalSubject + "\" at " + receivedAt + ".\n\n";
    for (const auto& d : done) m.body += "- " + d + "\n";
    if (!attention.empty()) {
        m.body += "\nNeeds your attention:\n";
        for (const auto& a : attention) m.body += "- " + a + "\n";
    }
    m.body += "\nFollow your dossiers at " + portalUrl + "\n\n-- \n" + agency + "\n";
    return m;
}

MailText quarantineReply(const std::string& agency, const std::string& originalSubject, const std::string& receivedAt,
                         const std::string& reason) {
    MailText m;
    m.subject = "Not processed: " + (originalSubject.empty() ? std::string("(no subject)") : originalSubject);
    m.body = "Hello,\n\n" + agency + " received your mail \"" + originalSubject + "\" at " + receivedAt +
             ", but could not create a dossier from it:\n\n  " + reason +
             "\n\nThe mail is kept. Send the invoice again as a Peppol BIS 3 UBL file (or the XML your invoicing "
             "software exports) attached to a mail to this address; nothing needs to be cancelled.\n\n-- \n" +
             agency + "\n";
    return m;
}

MailText paymentNotice(const NoticeFields& f) {
    MailText m;
    m.subject = "Invoice " + f.invoiceNumber + " from " + f.creditorName + ": " + f.amount + " due " + f.dueDate;
    m.body = "Dear " + f.debtorName + ",\n\n" + f.creditorName + " has asked " +
             std::string("us to follow up invoice ") + f.invoiceNumber + " of " + f.issueDate + ".\n\n" +
             "  Amount:    " + f.amount + "\n" + "  Due date:  " + f.dueDate + "\n";
    if (!f.iban.empty())
        m.body += "  Pay to:    " + (f.payeeName.empty() ? std::string() : f.payeeName + ", ") + f.iban +
                  (f.bic.empty() ? "" : " (" + f.bic + ")") + "\n";
    if (!f.reference.empty()) m.body += "  Reference: " + f.reference + "\n";
    m.body += "\nYour personal page, with the invoice and the ways to answer (paid already, a payment date, a "
              "payment plan, a question or a dispute):\n\n" +
              f.link + "\n\nIf you have paid already, thank you: you can ignore this message.\n";
    return m;
}

}  // namespace duegate::services
