#include "gateway/core/Policy.h"

namespace duegate::core {

std::optional<Channel> parseChannel(std::string_view t) {
    if (t == "email" || t == "e-mail") return Channel::Email;
    if (t == "sms") return Channel::Sms;
    if (t == "letter" || t == "post") return Channel::Letter;
    if (t == "call") return Channel::Call;
    return std::nullopt;
}

std::string_view channelName(Channel c) {
    switch (c) {
        case Channel::Email: return "email";
        case Channel::Sms: return "sms";
        case Channel::Letter: return "letter";
        case Channel::Call: return "call";
    }
    return "?";
}

bool isDurableMedium(Channel c) { return c == Channel::Email || c == Channel::Letter; }

std::optional<LegalEffect> parseLegalEffect(std::string_view t) {
    if (t == "none") return LegalEffect::None;
    if (t == "first_free_reminder") return LegalEffect::FirstFreeReminder;
    if (t == "formal_notice") return LegalEffect::FormalNotice;
    if (t == "claim_costs") return LegalEffect::ClaimCosts;
    if (t == "lawyer_handover") return LegalEffect::LawyerHandover;
    return std::nullopt;
}

std::string_view legalEffectName(LegalEffect e) {
    switch (e) {
        case LegalEffect::None: return "none";
        case LegalEffect::FirstFreeReminder: return "first_free_reminder";
        case LegalEffect::FormalNotice: return "formal_notice";
        case LegalEffect::ClaimCosts: return "claim_costs";
        case LegalEffect::LawyerHandover: return "lawyer_handover";
    }
    return "?";
}

bool startsLegalTerm(LegalEffect e) { return e == LegalEffect::FirstFreeReminder || e == LegalEffect::FormalNotice; }

bool needsEndedTerm(LegalEffect e) { return e == LegalEffect::ClaimCosts || e == LegalEffect::LawyerHandover; }

std::optional<Segment> parseSegment(std::string_view t) {
    if (t == "any") return Segment::Any;
    if (t == "reliable_payers") return Segment::ReliablePayers;
    if (t == "late_payers") return Segment::LatePayers;
    if (t == "consumers") return Segment::Consumers;
    if (t == "businesses") return Segment::Businesses;
    return std::nullopt;
}

std::string_view segmentName(Segment s) {
    switch (s) {
        case Segment::Any: return "any";
        case Segment::ReliablePayers: return "reliable_payers";
        case Segment::LatePayers: return "late_payers";
        case Segment::Consumers: return "consumers";
        case Segment::Businesses: return "businesses";
    }
    return "?";
}

const PolicyStep* Policy::step(std::string_view id) const {
    for (const auto& s : steps)
        if (s.id == id) return &s;
    return nullptr;
}

const Policy* selectPolicy(const std::vector<Policy>& policies, std::string_view creditor, Segment segment,
                           Regime regime) {
    const Policy* best = nullptr;
    int bestScore = -1;
    for (const auto& p : policies) {
        if (p.regime != regime) continue;
        if (p.creditor != "*" && p.creditor != creditor) continue;
        if (p.segment != Segment::Any && p.segment != segment) continue;
        const int score = (p.creditor != "*" ? 2 : 0) + (p.segment != Segment::Any ? 1 : 0);
        if (score > bestScore) {  // first one wins a tie: file order decides, deterministically
            best = &p;
            bestScore = score;
        }
    }
    return best;
}

}  // namespace duegate::core
