// The quarantine reply to a known sender (plain text, English). The acknowledgement and the
// payment notice are templates in config/templates/<lang>/ (gateway/core/templates).
#pragma once

#include <string>
#include <vector>

namespace duegate::services {

struct MailText {
    std::string subject;
    std::string body;
};

MailText quarantineReply(const std::string& agency, const std::string& originalSubject, const std::string& receivedAt,
                         const std::string& reason);

}  // namespace duegate::services
