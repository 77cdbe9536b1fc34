// Accounts from the portal (issue 14 items 2 and 3): the staff admin's pages for creditors
// (intake address, senders, IBANs, collection mode, policy, fee: the same rules as `creditor
// add/set`, AdminService.h) and users (create, disable, role), and a creditor's own users and API
// keys (a key is shown once, only its sha256 is stored; revoked keys stop at once).
//
// Who may do what: a staff admin (users.is_admin) everything; a creditor user their own account's
// users and API keys; anyone else Forbidden (403). Another creditor's user or key is NotFound.
// Every change writes an event on the creditor's timeline (dossier-less) naming the user, or for
// staff accounts a log line. Each function is one transaction.
#pragma once

#include "gateway/services/AdminService.h"
#include "gateway/services/Context.h"
#include "gateway/services/DossierQueries.h"
#include "store/Records.h"
#include "store/StaffRepository.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace duegate::services {

// A staff user with users.is_admin set (read from the store on every call: a demotion counts at once).
bool isAdmin(Context& ctx, const Principal& who);

struct CreditorAdminView {
    store::CreditorRecord creditor;
    std::vector<std::string> senders;
    std::vector<store::CreditorIbanRecord> ibans;
};
std::vector<store::CreditorRecord> adminCreditors(Context& ctx, const Principal& who);
std::optional<CreditorAdminView> adminCreditor(Context& ctx, const Principal& who, std::int64_t creditorId);
NewCreditor adminAddCreditor(Context& ctx, const Principal& who, const CreditorInput& input);
void adminSetCreditor(Context& ctx, const Principal& who, std::int64_t creditorId, const CreditorChanges& changes);

// Users the asking person manages: a staff admin every user, a creditor user their account's.
std::vector<store::staff::UserRow> managedUsers(Context& ctx, const Principal& who);

struct NewUserInput {
    std::string email, name, password;
    std::string role = "creditor";            // creditor | staff | admin (staff and admin: staff admins only)
    std::optional<std::int64_t> creditorId;   // role creditor; a creditor user's own account is forced
};
std::int64_t createUser(Context& ctx, const Principal& who, const NewUserInput& input);
// Disables (sessions end, login refused) or enables a user; nobody disables themselves.
void setUserDisabled(Context& ctx, const Principal& who, std::int64_t userId, bool disabled);
// Removes a user's second factor (a lost phone): they log in with their password and set TOTP up
// again (at once when staff TOTP is required); their sessions end. A staff admin for any user, a
// creditor user for their account's users; nobody for themselves. InputError when none is set up.
void resetTotp(Context& ctx, const Principal& who, std::int64_t userId, const std::string& remoteAddress);
// Staff admins only: a staff user's role, staff or admin; nobody changes their own.
void setStaffRole(Context& ctx, const Principal& who, std::int64_t userId, const std::string& role);

// A creditor user's own API keys.
std::vector<store::staff::ApiKeyRow> ownApiKeys(Context& ctx, const Principal& who);
struct NewApiKey {
    std::int64_t id = 0;
    std::string key;  // "dg_" + 48 hex digits, shown once
};
NewApiKey createApiKey(Context& ctx, const Principal& who, const std::string& name);
void revokeApiKey(Context& ctx, const Principal& who, std::int64_t keyId);

}  // namespace duegate::services
