// The one durable-write routine: write to a temporary file in the target's directory, fsync it,
// rename it over the target, fsync the directory. Directories that had to be created on the way are
// fsynced into their parents too, so after return the file survives a crash or power loss (the
// blob store, the file mail channel, the print folder and the drop folder's moves use it).
// Throws std::system_error (with the path in the message) on any failure; a failed write leaves no
// temporary file behind. Thread-safety: any number of threads and processes at once.
#pragma once

#include <string>
#include <string_view>

namespace duegate::platform {

// Creates missing directories of `dir` and fsyncs each new one into its parent.
void makeDirectoriesDurably(const std::string& dir);

// Replaces (or creates) `path` with `bytes` atomically and durably. `mode` for a new file.
void writeFileDurably(const std::string& path, std::string_view bytes, unsigned mode = 0640);

// rename(from, to) followed by an fsync of both directories (to's directory is created durably).
void renameDurably(const std::string& from, const std::string& to);

// fsync of a directory (its entries are durable afterwards).
void syncDirectory(const std::string& dir);

}  // namespace duegate::platform
