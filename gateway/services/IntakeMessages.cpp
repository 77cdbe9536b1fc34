#include "gateway/services/IntakeMessages.h"

namespace duegate::services {

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


}  // namespace duegate::services
