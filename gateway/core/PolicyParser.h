// Reads a dunning policy from its INI text (config/policies/*.ini). Pure: the caller reads the file.
//
//   [policy]
//   name = be-consumers              ; required
//   creditor = *                     ; a creditor reference or * (default)
//   segment = consumers              ; any | reliable_payers | late_payers | consumers | businesses
//   regime = be-b2c                  ; be-b2c | be-b2b | nl-b2c | nl-b2b (required)
//   promise_grace_days = 3           ; 0..60
//   instalment_grace_days = 3        ; 0..60
//   call_after_silence_days = 10     ; 0 (off)..365
//   contact_window = 08:00-20:00     ; SMS and calls only then (local time); default 08:00-20:00
//   contact_on_rest_days = no        ; yes: also on Sundays and public holidays (default no)
//   plan_max_instalments = 6         ; payment plans approved without a person: 0 (never)..36
//   plan_min_instalment = 25.00      ; ... with instalments of at least this amount
//   plan_max_first_delay_days = 30   ; ... starting at most this many days after the request (0..90)
//   instalment_reminder_days = 3     ; reminder this many days before each instalment (0..30)
//
//   [step first_reminder]            ; one section per step, in order; the name is the step id
//   at = due +7                      ; "due +N", "due -N" (before the due date) or "previous +N"
//   channels = email, letter         ; email | sms | letter | call, in order of preference
//   template = be_first_reminder
//   effect = first_free_reminder     ; none | first_free_reminder | formal_notice | claim_costs | lawyer_handover
//
// Checks that keep a policy lawful before it ever runs (errors carry the line):
//  - first_free_reminder only under be-b2c; a term-starting step must use a durable medium
//    (email or letter) and may not be planned before the due date;
//  - under a consumer regime, claim_costs and lawyer_handover must come after a term-starting step;
//  - "previous" offsets are at least 1 day; offsets between -60 and 365; step ids unique.
// Comments start with ';' or '#', also after a value.
// Thread-safety: pure function.
#pragma once

#include "gateway/core/Policy.h"
#include "parsers/common/Result.h"

#include <string_view>

namespace duegate::core {

parsers::Result<Policy> parsePolicy(std::string_view text);

}  // namespace duegate::core
