// The one logger of every module: `key=value` lines on stderr through a Poco channel,
//   ts=2026-11-29T09:30:00.123Z level=info module=ingest msg="applied 1" item=17
// with the level set once from config ([log] level). Values are quoted when they contain a blank,
// a quote or '='; control characters are escaped, so a hostile header cannot forge a log line.
// Never pass secrets (passwords, tokens, keys): callers redact (store::redactUrl) first.
// Thread-safety: any thread.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace duegate::platform {

enum class LogLevel { Debug, Info, Warning, Error };

// "debug" | "info" | "warning" | "error"; false for anything else.
bool parseLogLevel(std::string_view text, LogLevel& out);
void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);

using LogField = std::pair<std::string_view, std::string>;
void log(LogLevel level, std::string_view module, std::string_view message,
         std::initializer_list<LogField> fields = {});

inline void logInfo(std::string_view module, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::Info, module, message, fields);
}
inline void logWarning(std::string_view module, std::string_view message,
                       std::initializer_list<LogField> fields = {}) {
    log(LogLevel::Warning, module, message, fields);
}
inline void logError(std::string_view module, std::string_view message, std::initializer_list<LogField> fields = {}) {
    log(LogLevel::Error, module, message, fields);
}

// The line as log() writes it (without the timestamp), for tests.
std::string formatLogLine(LogLevel level, std::string_view module, std::string_view message,
                          std::initializer_list<LogField> fields);

}  // namespace duegate::platform
