// How alike a payer name on a statement and a debtor name are, for suggestions only.
//
// Names are folded first: lower case, Latin accents stripped ("é" -> "e"), punctuation to blanks,
// legal forms and titles dropped ("bv", "nv", "sa", "srl", "bvba", "vof", "mr", "mevr", "dhr", ...).
// Similarity is the Dice coefficient over character trigrams of the folded names (0..100), which
// tolerates typos, initials and word order ("J. Peeters" ~ "Peeters Jan").
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace duegate::core::matching {

// Folded name: "Bakkerij Peeters BVBA" -> "bakkerij peeters".
std::string foldName(std::string_view name);

// The folded name's words of at least 3 letters (the name index keys).
std::vector<std::string> nameTokens(std::string_view folded);

// 0..100 over two folded names.
int nameSimilarity(std::string_view foldedA, std::string_view foldedB);

}  // namespace duegate::core::matching
