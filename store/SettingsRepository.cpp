#include "store/SettingsRepository.h"

namespace duegate::store::settings {

std::optional<std::string> get(Tx& tx, const std::string& name) {
    auto r = tx.queryOne("SELECT value FROM settings WHERE name = $1", {name});
    if (!r) return std::nullopt;
    return r->text(0);
}

std::string getOrInit(Tx& tx, const std::string& name, const std::string& candidate, const std::string& now) {
    tx.exec("INSERT INTO settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
            {name, candidate, now});
    return *get(tx, name);
}

}  // namespace duegate::store::settings
