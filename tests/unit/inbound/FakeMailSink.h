// An in-memory MailSink for the inbound tests: records what it is given, answers as told.
#pragma once

#include "gateway/inbound/MailSink.h"

#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace duegate::inbound::test {

class FakeMailSink : public MailSink {
public:
    struct Delivery {
        Envelope envelope;
        std::string raw;
    };

    std::set<std::string> unknown;       // addresses answered UnknownRecipient
    std::set<std::string> temporary;     // addresses answered TemporaryFailure
    std::set<std::string> overQuota;     // addresses answered QuotaExceeded
    enum class Mode { Store, FailTemporary, FailPermanent, Throw } mode = Mode::Store;

    RecipientVerdict checkRecipient(const std::string& address) override {
        std::lock_guard lock(_mutex);
        if (unknown.count(address)) return RecipientVerdict::UnknownRecipient;
        if (temporary.count(address)) return RecipientVerdict::TemporaryFailure;
        if (overQuota.count(address)) return RecipientVerdict::QuotaExceeded;
        return RecipientVerdict::Accept;
    }

    Outcome deliver(const Envelope& envelope, std::string_view raw) override {
        std::lock_guard lock(_mutex);
        ++attempts;
        switch (mode) {
        case Mode::Store:
            deliveries.push_back({envelope, std::string(raw)});
            return {true, false, "Q" + std::to_string(deliveries.size()), {}};
        case Mode::FailTemporary: return {false, true, {}, "disk full"};
        case Mode::FailPermanent: return {false, false, {}, "blocked\r\n250 fake"};
        case Mode::Throw: throw std::runtime_error("database gone");
        }
        return {};
    }

    std::vector<Delivery> snapshot() {
        std::lock_guard lock(_mutex);
        return deliveries;
    }

    std::vector<Delivery> deliveries;
    int attempts = 0;

private:
    std::mutex _mutex;
};

}  // namespace duegate::inbound::test
