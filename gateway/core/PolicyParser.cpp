#include "gateway/core/PolicyParser.h"

#include "parsers/common/Text.h"

#include <cctype>
#include <charconv>

namespace duegate::core {
namespace {

std::string_view trim(std::string_view s) { return parsers::trimSpace(s); }

std::string_view stripComment(std::string_view s) {
    const auto pos = s.find_first_of(";#");
    return pos == std::string_view::npos ? s : s.substr(0, pos);
}

std::optional<int> parseInt(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s[0] == '+') s.remove_prefix(1);
    int v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

struct StepLines {
    std::size_t line = 0;
    bool hasAt = false, hasChannels = false;
};

}  // namespace

parsers::Result<Policy> parsePolicy(std::string_view text) {
    using parsers::errorAtLine;
    Policy p;
    bool hasName = false, hasRegime = false, inPolicy = false;
    std::vector<StepLines> stepLines;
    std::size_t lineNo = 0;
    while (!text.empty()) {
        ++lineNo;
        const auto nl = text.find('\n');
        std::string_view raw = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        std::string_view line = trim(stripComment(raw));
        if (line.empty()) continue;
        if (line.front() == '[') {
            if (line.back() != ']') return errorAtLine(lineNo, "section", "expected [policy] or [step ID]");
            std::string_view name = trim(line.substr(1, line.size() - 2));
            if (name == "policy") {
                inPolicy = true;
                continue;
            }
            if (name.substr(0, 5) != "step " || trim(name.substr(5)).empty())
                return errorAtLine(lineNo, "section", "expected [policy] or [step ID]");
            inPolicy = false;
            PolicyStep s;
            s.id = std::string(trim(name.substr(5)));
            if (p.step(s.id)) return errorAtLine(lineNo, "step", "step " + s.id + " appears twice");
            p.steps.push_back(s);
            stepLines.push_back({lineNo});
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return errorAtLine(lineNo, "line", "expected key = value");
        const std::string key(trim(line.substr(0, eq)));
        const std::string_view value = trim(line.substr(eq + 1));
        if (inPolicy) {
            if (key == "name") {
                if (value.empty()) return errorAtLine(lineNo, key, "must not be empty");
                p.name = value;
                hasName = true;
            } else if (key == "creditor") {
                if (value.empty()) return errorAtLine(lineNo, key, "a creditor reference or *");
                p.creditor = value;
            } else if (key == "segment") {
                auto s = parseSegment(value);
                if (!s) return errorAtLine(lineNo, key, "any, reliable_payers, late_payers, consumers or businesses");
                p.segment = *s;
            } else if (key == "regime") {
                auto r = parseRegime(value);
                if (!r) return errorAtLine(lineNo, key, "be-b2c, be-b2b, nl-b2c or nl-b2b");
                p.regime = *r;
                hasRegime = true;
            } else if (key == "promise_grace_days" || key == "instalment_grace_days") {
                auto v = parseInt(value);
                if (!v || *v < 0 || *v > 60) return errorAtLine(lineNo, key, "a whole number of days, 0 to 60");
                (key == "promise_grace_days" ? p.promiseGraceDays : p.instalmentGraceDays) = *v;
            } else if (key == "call_after_silence_days") {
                auto v = parseInt(value);
                if (!v || *v < 0 || *v > 365) return errorAtLine(lineNo, key, "a whole number of days, 0 (off) to 365");
                p.callAfterSilenceDays = *v;
            } else if (key == "contact_window") {
                auto clock = [](std::string_view t) -> std::optional<int> {
                    t = trim(t);
                    if (t.size() != 5 || t[2] != ':') return std::nullopt;
                    auto h = parseInt(t.substr(0, 2)), m = parseInt(t.substr(3, 2));
                    if (!h || !m || *h < 0 || *h > 24 || *m < 0 || *m > 59 || (*h == 24 && *m != 0)) return std::nullopt;
                    return *h * 60 + *m;
                };
                const auto dash = value.find('-');
                auto from = dash == std::string_view::npos ? std::nullopt : clock(value.substr(0, dash));
                auto until = dash == std::string_view::npos ? std::nullopt : clock(value.substr(dash + 1));
                if (!from || !until || *from >= *until) return errorAtLine(lineNo, key, "expected HH:MM-HH:MM, from before until");
                p.contactFromMinutes = *from;
                p.contactUntilMinutes = *until;
            } else if (key == "contact_on_rest_days") {
                if (value != "yes" && value != "no") return errorAtLine(lineNo, key, "yes or no");
                p.contactOnRestDays = value == "yes";
            } else if (key == "plan_max_instalments") {
                auto v = parseInt(value);
                if (!v || *v < 0 || *v > 36) return errorAtLine(lineNo, key, "a whole number, 0 (never) to 36");
                p.planMaxInstalments = *v;
            } else if (key == "plan_min_instalment") {
                auto m = Money::parse(value, "EUR");
                if (!m || m->minor() < 0) return errorAtLine(lineNo, key, "an amount such as 25.00");
                p.planMinInstalmentMinor = m->minor();
            } else if (key == "plan_max_first_delay_days") {
                auto v = parseInt(value);
                if (!v || *v < 0 || *v > 90) return errorAtLine(lineNo, key, "a whole number of days, 0 to 90");
                p.planMaxFirstDelayDays = *v;
            } else if (key == "instalment_reminder_days") {
                auto v = parseInt(value);
                if (!v || *v < 0 || *v > 30) return errorAtLine(lineNo, key, "a whole number of days, 0 to 30");
                p.instalmentReminderDays = *v;
            } else {
                return errorAtLine(lineNo, key, "unknown key in [policy]");
            }
            continue;
        }
        if (p.steps.empty()) return errorAtLine(lineNo, key, "a key outside [policy] and [step ID]");
        PolicyStep& s = p.steps.back();
        StepLines& sl = stepLines.back();
        if (key == "at") {
            std::string_view v = value;
            if (v.substr(0, 3) == "due") {
                s.anchor = Anchor::DueDate;
                v.remove_prefix(3);
            } else if (v.substr(0, 8) == "previous") {
                s.anchor = Anchor::PreviousStep;
                v.remove_prefix(8);
            } else {
                return errorAtLine(lineNo, key, "expected due +N, due -N or previous +N");
            }
            v = trim(v);
            if (v.empty() || (v[0] != '+' && v[0] != '-'))
                return errorAtLine(lineNo, key, "expected due +N, due -N or previous +N");
            std::string digits(v.substr(1));
            auto n = parseInt(digits);
            if (!n) return errorAtLine(lineNo, key, "expected due +N, due -N or previous +N");
            s.offsetDays = v[0] == '-' ? -*n : *n;
            if (s.offsetDays < -60 || s.offsetDays > 365)
                return errorAtLine(lineNo, key, "offset must be between -60 and 365 days");
            if (s.anchor == Anchor::PreviousStep && s.offsetDays < 1)
                return errorAtLine(lineNo, key, "a step after the previous one needs at least +1 day");
            sl.hasAt = true;
        } else if (key == "channels") {
            s.channels.clear();
            std::string_view v = value;
            while (!v.empty()) {
                const auto comma = v.find(',');
                const auto word = trim(v.substr(0, comma));
                v.remove_prefix(comma == std::string_view::npos ? v.size() : comma + 1);
                auto c = parseChannel(word);
                if (!c) return errorAtLine(lineNo, key, "unknown channel '" + std::string(word) + "'");
                for (Channel x : s.channels)
                    if (x == *c) return errorAtLine(lineNo, key, "channel listed twice");
                s.channels.push_back(*c);
            }
            if (s.channels.empty()) return errorAtLine(lineNo, key, "at least one channel");
            sl.hasChannels = true;
        } else if (key == "template") {
            s.templateName = value;
        } else if (key == "effect") {
            auto e = parseLegalEffect(value);
            if (!e)
                return errorAtLine(lineNo, key,
                                   "none, first_free_reminder, formal_notice, claim_costs or lawyer_handover");
            s.effect = *e;
        } else {
            return errorAtLine(lineNo, key, "unknown key in a [step]");
        }
    }
    if (!hasName) return errorAtLine(lineNo, "name", "[policy] needs a name");
    if (!hasRegime) return errorAtLine(lineNo, "regime", "[policy] needs a regime");
    if (p.steps.empty()) return errorAtLine(lineNo, "step", "a policy needs at least one [step ID]");

    // Legal checks, in step order.
    bool termStarted = false;
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const auto& s = p.steps[i];
        const std::size_t at = stepLines[i].line;
        if (!stepLines[i].hasAt) return errorAtLine(at, "at", "step " + s.id + " needs at = ...");
        if (!stepLines[i].hasChannels) return errorAtLine(at, "channels", "step " + s.id + " needs channels");
        if (s.effect == LegalEffect::FirstFreeReminder && p.regime != Regime::BeB2c)
            return errorAtLine(at, "effect", "first_free_reminder is the Belgian consumer rule (Art. XIX.2 CEL); "
                                             "use formal_notice for the Dutch 14-day letter");
        if (startsLegalTerm(s.effect)) {
            bool durable = false;
            for (Channel c : s.channels) durable = durable || isDurableMedium(c);
            if (!durable)
                return errorAtLine(at, "channels", "step " + s.id + " starts a legal term and needs e-mail or letter");
            termStarted = true;
        }
        if (s.effect != LegalEffect::None && s.anchor == Anchor::DueDate && s.offsetDays < 1)
            return errorAtLine(at, "at", "step " + s.id + " has a legal effect and must come after the due date");
        if (needsEndedTerm(s.effect) && isConsumerRegime(p.regime) && !termStarted)
            return errorAtLine(at, "effect", "step " + s.id + " claims costs or hands over, which a consumer regime "
                                             "allows only after a first_free_reminder or formal_notice term");
    }
    return p;
}

}  // namespace duegate::core
