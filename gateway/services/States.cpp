#include "gateway/services/States.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace duegate::services {
namespace {

using Edge = std::pair<std::string_view, std::string_view>;

struct Table {
    std::vector<std::string_view> states;
    std::vector<Edge> edges;
};

const Table& table(Machine m) {
    static const Table inbound{{"received", "parsed", "applied", "quarantined"},
                               {{"received", "parsed"},
                                {"received", "applied"},
                                {"received", "quarantined"},
                                {"parsed", "applied"},
                                {"parsed", "quarantined"},
                                {"quarantined", "received"}}};
    static const Table outbound{{"planned", "sending", "sent", "delivered", "failed", "bounced", "unknown"},
                                {{"planned", "sending"},
                                 {"planned", "failed"},  // cancelled before sending: the dossier was paid
                                 {"unknown", "failed"},  // released, but its dossier ended while it was parked
                                 {"sending", "sent"},
                                 {"sending", "planned"},
                                 {"sending", "failed"},
                                 {"sent", "delivered"},
                                 {"sent", "bounced"},
                                 {"sent", "failed"},
                                 // Outcome unknown (no reply to the final dot, killed while sending):
                                 // parked for review, then a person resends it or says it went out.
                                 {"sending", "unknown"},
                                 {"unknown", "planned"},
                                 {"unknown", "sent"}}};
    static const Table dossier{{"draft", "active", "promised", "plan", "disputed", "paid", "closed", "legal"},
                               {{"draft", "active"},       {"draft", "closed"},     {"active", "promised"},
                                {"active", "plan"},        {"active", "disputed"},  {"promised", "active"},
                                {"plan", "active"},        {"disputed", "active"},  {"active", "paid"},
                                {"promised", "paid"},      {"plan", "paid"},        {"disputed", "paid"},
                                {"active", "closed"},      {"promised", "closed"},  {"plan", "closed"},
                                {"disputed", "closed"},    {"active", "legal"},     {"promised", "legal"},
                                {"plan", "legal"},         {"disputed", "legal"},   {"legal", "paid"},
                                {"legal", "closed"},       {"paid", "active"},      {"paid", "closed"}}};
    switch (m) {
        case Machine::InboundItem: return inbound;
        case Machine::OutboundMessage: return outbound;
        case Machine::Dossier: return dossier;
    }
    return dossier;
}

const char* name(Machine m) {
    switch (m) {
        case Machine::InboundItem: return "inbound item";
        case Machine::OutboundMessage: return "outbound message";
        case Machine::Dossier: return "dossier";
    }
    return "?";
}

}  // namespace

bool isState(Machine m, std::string_view state) {
    for (auto s : table(m).states)
        if (s == state) return true;
    return false;
}

bool canTransition(Machine m, std::string_view from, std::string_view to) {
    for (const auto& [f, t] : table(m).edges)
        if (f == from && t == to) return true;
    return false;
}

void requireTransition(Machine m, std::string_view from, std::string_view to) {
    if (!canTransition(m, from, to))
        throw std::logic_error(std::string(name(m)) + ": transition " + std::string(from) + " -> " + std::string(to) +
                               " is not allowed");
}

}  // namespace duegate::services
