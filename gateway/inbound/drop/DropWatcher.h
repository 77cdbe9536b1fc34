// DropWatcher: the SFTP drop door. Creditors upload files over OpenSSH's internal-sftp into
// `<dir>/<creditor_id>/in/` (one chrooted account per creditor, scripts/sftp-setup.sh); duegate
// takes each file once it is complete, hands it to the file intake (door "drop"), and only after
// that committed moves it to `done/`, or to `failed/` next to `NAME.error.txt` saying what was
// wrong. The creditor sees both over SFTP.
//
// When is a file complete? (a file still being written must never be imported half)
// - inotify reports IN_CLOSE_WRITE for it (the SFTP server closed it after writing), or
//   IN_MOVED_TO (a `NAME.part` upload renamed to its final name); or
// - its size and mtime have not changed for `stableSeconds` (for what inotify missed: files there
//   at start, an overflowed event queue, a file system without inotify).
// Names ending in `.part` or starting with `.` are never taken (uploads in progress).
// A wake-up is a hint, the scan is the truth: every `rescanSeconds` the whole tree is scanned.
//
// Data safety
// - The move happens only after the importer returned (it commits before it returns: store before
//   acknowledge). A crash before the move leaves the file in `in/`; the next scan imports it again
//   and the intake's sha256 key makes that the same item (the importer reports it as a duplicate).
// - A move is rename(2) + fsync of both directories; `NAME.error.txt` is written to a temporary
//   name, fsynced, renamed. A name already taken in `done/` or `failed/` gets a suffix
//   (`NAME.1`, `NAME.2`, ...): nothing the creditor sent is ever overwritten.
// - The importer throwing means "could not store now" (database down, disk full): the file stays
//   in `in/` and is tried again at the next rescan.
// - Symlinks, directories and other non-regular entries in `in/` go to `failed/` with a reason;
//   a file is opened with O_NOFOLLOW, so a link never makes duegate read outside the drop.
// - A file larger than `maxFileBytes` goes to `failed/` unread.
// Thread-safety: start()/stop() from one thread; scanOnce() is for tests and for the watcher's
// own thread, never both at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>

namespace duegate::inbound {

struct DropImport {
    bool applied = false;   // true: move to done/ (also for a duplicate of a known file)
    std::string error;      // when !applied: why, for NAME.error.txt (the creditor reads it)
    std::string json;       // the intake's one-line JSON summary, for the log
};

// Imports one complete file for a creditor and commits before returning. Throws when it cannot
// store the file now (the file stays in in/ and is retried).
using DropImporter =
    std::function<DropImport(std::int64_t creditorId, const std::string& filename, std::string_view bytes)>;

struct DropOptions {
    std::string dir = "var/drop";             // <dir>/<creditor_id>/{in,done,failed}
    unsigned rescanSeconds = 30;              // 1 .. 86400: full scan interval
    unsigned stableSeconds = 10;              // 1 .. 3600: unchanged this long = complete
    std::uint64_t maxFileBytes = 104857600;   // 100 MiB; larger files go to failed/ unread
};

class DropWatcher {
public:
    DropWatcher(DropOptions options, DropImporter importer);   // logs through platform::log (module drop)
    ~DropWatcher();
    DropWatcher(const DropWatcher&) = delete;
    DropWatcher& operator=(const DropWatcher&) = delete;

    void start();   // creates <dir> when missing, starts the watcher thread
    void stop();    // finishes the file in hand, then joins

    // One pass over every creditor's in/: takes every complete file. `now` drives the stability
    // rule. Returns how many files were moved to done/ or failed/.
    std::size_t scanOnce(std::chrono::steady_clock::time_point now);
    // Marks a path (as inotify would) as closed after writing: the next scan takes it at once.
    void markComplete(const std::string& path);

private:
    struct Seen {
        std::uint64_t size = 0;
        std::int64_t mtimeNs = 0;
        std::chrono::steady_clock::time_point since;
    };
    void run();
    void watchDirectories();
    bool take(std::int64_t creditorId, const std::string& creditorDir, const std::string& name);
    void finish(const std::string& creditorDir, const std::string& name, bool ok, const std::string& error);

    DropOptions _options;
    DropImporter _importer;
    std::mutex _mutex;                       // guards _complete (inotify thread vs. markComplete)
    std::set<std::string> _complete;         // paths known complete from inotify
    std::map<std::string, Seen> _seen;       // stability tracking, by path
    std::map<int, std::string> _watches;     // inotify watch descriptor -> directory
    std::set<std::string> _watched;
    int _inotify = -1;
    int _wakePipe[2] = {-1, -1};
    std::thread _thread;
    bool _started = false;
};

}  // namespace duegate::inbound
