// A dunning policy: for one creditor (or every creditor, "*") and one debtor segment, the ordered
// steps of reminders, with their timing, channels, template and legal effect.
//
// The policy is data (config/policies/*.ini, read by PolicyParser.h); the Planner decides, for one
// dossier on one day, which step is due and whether the law allows it yet. The legal effects are
// what the Planner checks preconditions against:
//   none                 friendly reminder without legal effect (may come before the due date)
//   first_free_reminder  Belgium B2C, Art. XIX.2 CEL: the free first reminder that opens the 14-day
//                        term (durable medium: e-mail or letter)
//   formal_notice        a notice that starts a legal term: the NL 14-day letter (art. 6:96(6) BW),
//                        the Belgian agency notice (Art. XIX.7 §2 CEL), a B2B "ingebrekestelling"
//   claim_costs          a reminder that claims damages, collection costs or interest; for
//                        consumers only after the term opened by a term-starting step has ended
//   lawyer_handover      the dossier goes to a lawyer or bailiff; for consumers, same precondition
// Thread-safety: plain values.
#pragma once

#include "gateway/core/Regime.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core {

enum class Channel { Email, Sms, Letter, Call };
std::optional<Channel> parseChannel(std::string_view text);  // "email" | "sms" | "letter" | "call"
std::string_view channelName(Channel c);
// A durable medium in the sense of Book XIX (paper or e-mail), as a term-starting notice needs.
bool isDurableMedium(Channel c);

enum class LegalEffect { None, FirstFreeReminder, FormalNotice, ClaimCosts, LawyerHandover };
std::optional<LegalEffect> parseLegalEffect(std::string_view text);
std::string_view legalEffectName(LegalEffect e);
// True for effects that start a legal waiting term (first_free_reminder, formal_notice).
bool startsLegalTerm(LegalEffect e);
// True for effects that, for consumers, need that term to have ended (claim_costs, lawyer_handover).
bool needsEndedTerm(LegalEffect e);

enum class Segment { Any, ReliablePayers, LatePayers, Consumers, Businesses };
std::optional<Segment> parseSegment(std::string_view text);  // "any" | "reliable_payers" | ...
std::string_view segmentName(Segment s);
inline std::ostream& operator<<(std::ostream& os, Segment s) { return os << segmentName(s); }
inline std::ostream& operator<<(std::ostream& os, Channel c) { return os << channelName(c); }
inline std::ostream& operator<<(std::ostream& os, LegalEffect e) { return os << legalEffectName(e); }

enum class Anchor { DueDate, PreviousStep };

struct PolicyStep {
    std::string id;                 // unique within the policy; also the idempotency key of the send
    Anchor anchor = Anchor::DueDate;
    int offsetDays = 0;             // from the due date (may be negative) or from the previous send (>= 1)
    std::vector<Channel> channels;  // in order of preference
    std::string templateName;
    LegalEffect effect = LegalEffect::None;
};

struct Policy {
    std::string name;
    std::string creditor = "*";     // creditor reference, or "*" for every creditor
    Segment segment = Segment::Any;
    Regime regime = Regime::BeB2c;
    int promiseGraceDays = 3;       // a promise is kept open until its date + grace
    int instalmentGraceDays = 3;    // each payment-plan instalment likewise
    int callAfterSilenceDays = 0;   // call task when the debtor has not reacted N days after a send; 0 = off
    // Contact window for SMS and calls, local time of the debtor's country: minutes after midnight,
    // [from, until). No SMS or call on Sundays and public holidays unless contactOnRestDays.
    int contactFromMinutes = 8 * 60;
    int contactUntilMinutes = 20 * 60;
    bool contactOnRestDays = false;
    // Payment plans a debtor asks for are approved without a person within these limits.
    int planMaxInstalments = 6;          // 0 = never approve automatically
    std::int64_t planMinInstalmentMinor = 2500;  // in the dossier's currency
    int planMaxFirstDelayDays = 30;      // first instalment at most this many days after the request
    int instalmentReminderDays = 3;      // the instalment reminder goes out this many days before it
    std::vector<PolicyStep> steps;

    const PolicyStep* step(std::string_view id) const;
};

// The most specific policy for a dossier: same regime; an exact creditor beats "*"; an exact segment
// beats Segment::Any. nullptr when none fits.
const Policy* selectPolicy(const std::vector<Policy>& policies, std::string_view creditor, Segment segment,
                           Regime regime);

}  // namespace duegate::core
