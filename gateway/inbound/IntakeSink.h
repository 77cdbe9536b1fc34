// The MailSink of `duegate serve`: the SMTP listener's bridge to the intake use case.
// checkRecipient() accepts creditors' intake addresses and reply addresses r+TOKEN@[reply] domain
// with a valid token of an existing message (550 5.1.1 otherwise, at RCPT TO: refused, never
// bounced later). deliver() hands replies and bounces to ReplyService, the rest to intake. deliver() returns stored=true only after IntakeService committed
// the raw bytes and the item rows; then it wakes the ingest worker (a hint: the scan is the truth).
// Thread-safety: called from many connection threads.
#pragma once

#include "gateway/inbound/MailSink.h"
#include "gateway/services/Context.h"

#include <cstdint>
#include <functional>

namespace duegate::inbound {

// Per creditor and UTC day; 0 = no limit. Over it, RCPT gets 452 4.2.2 (the sender retries).
struct IntakeQuota {
    std::uint64_t messages = 0;
    std::uint64_t bytes = 0;
};

class IntakeSink final : public MailSink {
public:
    IntakeSink(services::Context& ctx, std::function<void()> onStored, IntakeQuota quota = {});

    RecipientVerdict checkRecipient(const std::string& address) override;
    Outcome deliver(const Envelope& envelope, std::string_view rawMessage) override;

private:
    services::Context& _ctx;
    std::function<void()> _onStored;
    IntakeQuota _quota;
};

}  // namespace duegate::inbound
