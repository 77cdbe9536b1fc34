#include "gateway/core/Regime.h"

namespace duegate::core {

std::optional<Regime> parseRegime(std::string_view text) {
    if (text == "be-b2c") return Regime::BeB2c;
    if (text == "be-b2b") return Regime::BeB2b;
    if (text == "nl-b2c") return Regime::NlB2c;
    if (text == "nl-b2b") return Regime::NlB2b;
    return std::nullopt;
}

std::string_view regimeName(Regime r) {
    switch (r) {
        case Regime::BeB2c: return "be-b2c";
        case Regime::BeB2b: return "be-b2b";
        case Regime::NlB2c: return "nl-b2c";
        case Regime::NlB2b: return "nl-b2b";
    }
    return "?";
}

Country regimeCountry(Regime r) { return r == Regime::BeB2c || r == Regime::BeB2b ? Country::BE : Country::NL; }

bool isConsumerRegime(Regime r) { return r == Regime::BeB2c || r == Regime::NlB2c; }

std::string_view interestTableFor(Regime r) {
    switch (r) {
        case Regime::BeB2c:
        case Regime::BeB2b: return "be-late-payment";
        case Regime::NlB2c: return "nl-statutory";
        case Regime::NlB2b: return "nl-commercial";
    }
    return "?";
}

std::optional<Medium> parseMedium(std::string_view text) {
    if (text == "post" || text == "letter") return Medium::Post;
    if (text == "email" || text == "electronic" || text == "e-mail") return Medium::Electronic;
    return std::nullopt;
}

std::string_view mediumName(Medium m) { return m == Medium::Post ? "post" : "email"; }

}  // namespace duegate::core
