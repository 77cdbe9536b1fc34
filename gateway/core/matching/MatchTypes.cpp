#include "gateway/core/matching/MatchTypes.h"

namespace duegate::core::matching {

std::string_view kindName(Verdict::Kind kind) {
    switch (kind) {
        case Verdict::Kind::Apply: return "apply";
        case Verdict::Kind::Suggest: return "suggest";
        case Verdict::Kind::Review: return "review";
        case Verdict::Kind::Undo: return "undo";
        case Verdict::Kind::Unmatched: return "unmatched";
    }
    return "unmatched";
}

}  // namespace duegate::core::matching
