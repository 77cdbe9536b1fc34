// What the dunning engine reads once at start: the policies (the shipped set compiled in from
// config/policies, plus or replaced by the *.ini files of `[dunning] policies_dir`), the templates
// (compiled in from config/templates, overridden by `[dunning] templates_dir`) and the time zone of
// the run.
//
// Template overrides: <templates_dir>/<creditor_id>/<lang>/<name>.mustache for one creditor, then
// <templates_dir>/<lang>/<name>.mustache for all, then the built-in file. Names are checked to be
// plain words ([A-Za-z0-9_.]) so a template name never becomes a path outside the directory.
// Thread-safety: read-only after loadDunningSetup(); templatesFor() reads files on each call.
#pragma once

#include "gateway/core/Calendar.h"
#include "gateway/core/Policy.h"
#include "gateway/core/templates/TemplateRenderer.h"
#include "gateway/services/Context.h"

#include <cstdint>
#include <string>
#include <vector>

namespace duegate::services::dunning {

struct DunningSetup {
    core::TimeZone zone = core::TimeZone::EuropeBrussels;
    std::vector<core::Policy> policies;
    std::string templatesDir;  // empty: built-in templates only
    std::size_t pageSize = 500;
};

// Throws std::runtime_error naming the file and line of a policy that does not parse.
DunningSetup loadDunningSetup(const std::string& policiesDir, const std::string& templatesDir,
                              core::TimeZone zone);

// "Europe/Brussels" | "Europe/Amsterdam"; std::nullopt otherwise.
std::optional<core::TimeZone> parseTimeZone(std::string_view name);

core::TemplateSet templatesFor(const DunningSetup& setup, std::int64_t creditorId);

// ctx.dunning, or the built-in setup (shipped policies and texts, Europe/Brussels) when it is null.
const DunningSetup& setupOf(const Context& ctx);

const core::Policy* policyByName(const DunningSetup& setup, std::string_view name);

}  // namespace duegate::services::dunning
