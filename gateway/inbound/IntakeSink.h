// The MailSink of `duegate serve`: the SMTP listener's bridge to the intake use case.
// checkRecipient() accepts creditors' intake addresses and reply addresses r+TOKEN@[reply] domain
// with a valid token of an existing message (550 5.1.1 otherwise, at RCPT TO: refused, never
// bounced later). deliver() hands replies and bounces to ReplyService, the rest to intake. deliver() returns stored=true only after IntakeService committed
// the raw bytes and the item rows; then it wakes the ingest worker (a hint: the scan is the truth).
// A creditor's intake address found at RCPT is remembered for kKnownFor (2 s), so a session sending
// mail after mail does not open a database read per RCPT (bench/smtp: one read transaction per mail
// was a tenth of the server's CPU). Only positive answers are kept: a new address is accepted at
// once, an unknown one is asked every time. An address removed meanwhile is still accepted at RCPT
// for up to 2 s; the group commit resolves every recipient again in its own transaction, so such a
// mail gets 554 after DATA instead of 550 at RCPT, and is never stored for a creditor that no longer
// has the address. The quota check (when set) is not cached.
// Thread-safety: called from many connection threads.
#pragma once

#include "gateway/inbound/MailSink.h"
#include "gateway/services/Context.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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

    static constexpr std::chrono::seconds kKnownFor{2};
    static constexpr std::size_t kMaxKnown = 4096;   // then the memory starts over (a flood of addresses)

private:
    std::optional<std::int64_t> creditorFor(const std::string& address);

    services::Context& _ctx;
    std::mutex _knownMutex;
    std::unordered_map<std::string, std::pair<std::int64_t, std::chrono::steady_clock::time_point>> _known;
    std::function<void()> _onStored;
    IntakeQuota _quota;
};

}  // namespace duegate::inbound
