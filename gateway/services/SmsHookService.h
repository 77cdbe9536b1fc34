// Twilio's webhooks, after the portal checked X-Twilio-Signature (channels/TwilioSignature.h).
//
// applyTwilioStatus(): a status callback (MessageSid, MessageStatus, ErrorCode). delivered: the
//   message sent -> delivered, `message_delivered`. undelivered/failed: sent -> failed with
//   "twilio <ErrorCode>", `message_failed`, and the fallback (a letter, else a bounce task); error
//   21610 (the recipient replied STOP to the carrier) also switches SMS off for the debtor.
//   Intermediate states (queued, sending, sent, accepted, scheduled) change nothing. A callback for
//   a sid duegate does not know, or one repeated, changes nothing (Twilio may send twice).
// receiveInboundSms(): an inbound SMS (From, To, Body, MessageSid). From is normalised to E.164 and
//   compared with the debtors' phones. STOP/STOPALL/UNSUBSCRIBE/CANCEL/END/QUIT/ARRET/STOPPEN switch
//   SMS off for every debtor with that number (`contact_updated`). Otherwise: one open dossier ->
//   `reply_received` (channel sms) on it, a `reply` task and a pause; several -> a `reply` task
//   naming them (a person decides); none -> logged and kept as nothing (no tenant to file it under).
//   The raw form body is kept as an inbound item (kind sms) of each creditor concerned.
// Thread-safety: one transaction per call.
#pragma once

#include "gateway/services/Context.h"

#include <map>
#include <string>

namespace duegate::services {

using FormParams = std::map<std::string, std::string>;

// "applied", "ignored" (intermediate state or repeated) or "unknown" (no message with that sid).
std::string applyTwilioStatus(Context& ctx, const FormParams& params);

// "threaded", "ambiguous", "stop", "unknown", "duplicate" or "invalid" (no usable From).
std::string receiveInboundSms(Context& ctx, const FormParams& params, const std::string& rawBody);

// True for the opt-out keywords above (trimmed, case-insensitive, the whole text).
bool isStopKeyword(const std::string& body);

}  // namespace duegate::services
