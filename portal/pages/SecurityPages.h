// The login-security pages (templates login_totp, password_forgot, password_reset, account,
// account_totp): pure functions from what services/AuthService returned to a complete document.
#pragma once

#include "gateway/services/AuthService.h"
#include "portal/Html.h"

#include <string>

namespace duegate::portal::pages {

// The second step of a login: a code form, with the enrolment QR and key when kind is "enrol".
std::string loginTotpPage(const std::string& lang, const std::string& csrf, const services::ChallengeView& view,
                          const std::string& error);
std::string passwordForgotPage(const std::string& lang, const std::string& csrf, bool sent);
std::string passwordResetPage(const std::string& lang, const std::string& csrf, const std::string& token,
                              const std::string& error);
std::string accountPage(const Layout& layout, const services::AccountView& view, const std::string& ok);
std::string accountTotpPage(const Layout& layout, const services::TotpStatus& status, const std::string& error);

}  // namespace duegate::portal::pages
