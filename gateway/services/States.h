// The explicit states of duegate's durable records and every allowed transition, in one place
// (DESIGN.md rule 3). Repositories move rows with "UPDATE ... WHERE state = from", so a transition
// that is not listed here is a bug: services assert it through requireTransition().
//
//   inbound item:      received -> parsed -> applied | quarantined; quarantined -> received (reprocess);
//                      received -> applied | quarantined (parse and apply in one step)
//   outbound message:  planned -> sending -> sent -> delivered | bounced; sending -> planned (retry);
//                      planned -> failed ("cancelled: ..." when the dossier is paid or closed first);
//                      sending -> failed (permanent or dead-lettered); sent -> failed;
//                      sending -> unknown (outcome unknown: parked for review, never resent by itself);
//                      unknown -> planned (a person releases it: resend) | sent (a person marks it sent)
//   dossier:           draft -> active; active <-> promised | plan | disputed; any open -> paid | closed | legal;
//                      paid -> active (payment reversed); legal -> closed
#pragma once

#include <string_view>

namespace duegate::services {

enum class Machine { InboundItem, OutboundMessage, Dossier };

bool isState(Machine m, std::string_view state);
bool canTransition(Machine m, std::string_view from, std::string_view to);
// Throws std::logic_error naming the machine and both states when the transition is not listed.
void requireTransition(Machine m, std::string_view from, std::string_view to);

}  // namespace duegate::services
