#include "gateway/inbound/drop/DropWatcher.h"

#include "platform/Log.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace duegate::inbound {
namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Upload in progress or our own bookkeeping: never taken.
bool ignoredName(const std::string& name) {
    return name.empty() || name[0] == '.' || endsWith(name, ".part");
}

bool allDigits(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return out;
    while (auto* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") out.push_back(std::move(n));
    }
    ::closedir(d);
    return out;
}

std::string sysError(const std::string& what) { return what + ": " + std::strerror(errno); }

void fsyncDir(const std::string& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(sysError("open " + dir));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error(sysError("fsync " + dir));
}

void ensureDir(const std::string& dir, mode_t mode) {
    if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) throw std::runtime_error(sysError("mkdir " + dir));
}

// A free name for `name` in `dir`: name, name.1, name.2, ... (also free of its .error.txt).
std::string freeName(const std::string& dir, const std::string& name) {
    struct stat st;
    for (unsigned i = 0; i < 100000; ++i) {
        std::string candidate = i == 0 ? name : name + "." + std::to_string(i);
        if (::lstat((dir + "/" + candidate).c_str(), &st) != 0 &&
            ::lstat((dir + "/" + candidate + ".error.txt").c_str(), &st) != 0)
            return candidate;
    }
    throw std::runtime_error("no free name for " + name + " in " + dir);
}

void writeDurably(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) throw std::runtime_error(sysError("create " + tmp));
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ::close(fd);
            throw std::runtime_error(sysError("write " + tmp));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        ::close(fd);
        throw std::runtime_error(sysError("fsync " + tmp));
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error(sysError("rename " + tmp));
}

struct ReadResult {
    enum { Ok, NotRegular, TooBig, Gone } status = Ok;
    std::string bytes;
};

ReadResult readFile(const std::string& path, std::uint64_t maxBytes) {
    ReadResult r;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        r.status = (errno == ENOENT) ? ReadResult::Gone : ReadResult::NotRegular;  // ELOOP: a symlink
        if (errno != ENOENT && errno != ELOOP) throw std::runtime_error(sysError("open " + path));
        return r;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        r.status = ReadResult::NotRegular;
        return r;
    }
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes) {
        ::close(fd);
        r.status = ReadResult::TooBig;
        return r;
    }
    r.bytes.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    for (;;) {
        if (got == r.bytes.size()) r.bytes.resize(got + 65536);   // it grew after fstat: read on
        ssize_t n = ::read(fd, r.bytes.data() + got, r.bytes.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            ::close(fd);
            throw std::runtime_error(sysError("read " + path));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
        if (got > maxBytes) {
            ::close(fd);
            r.status = ReadResult::TooBig;
            r.bytes.clear();
            return r;
        }
    }
    ::close(fd);
    r.bytes.resize(got);
    return r;
}

}  // namespace

DropWatcher::DropWatcher(DropOptions options, DropImporter importer)
    : _options(std::move(options)), _importer(std::move(importer)) {}

DropWatcher::~DropWatcher() { stop(); }

void DropWatcher::markComplete(const std::string& path) {
    std::lock_guard lock(_mutex);
    _complete.insert(path);
}

void DropWatcher::start() {
    if (_started) return;
    std::error_code ec;
    std::filesystem::create_directories(_options.dir, ec);
    if (ec) throw std::runtime_error("drop: cannot create " + _options.dir + ": " + ec.message());
    _inotify = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (_inotify < 0) platform::logWarning("drop", "inotify unavailable: scans only", {{"error", std::strerror(errno)}});
    if (::pipe2(_wakePipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error(sysError("pipe"));
    _started = true;
    _thread = std::thread([this] { run(); });
}

void DropWatcher::stop() {
    if (!_started) return;
    _started = false;
    const char c = 'q';
    [[maybe_unused]] auto n = ::write(_wakePipe[1], &c, 1);
    if (_thread.joinable()) _thread.join();
    if (_inotify >= 0) ::close(_inotify);
    ::close(_wakePipe[0]);
    ::close(_wakePipe[1]);
    _inotify = -1;
    _watches.clear();
    _watched.clear();
}

void DropWatcher::watchDirectories() {
    if (_inotify < 0) return;
    auto add = [&](const std::string& dir, std::uint32_t mask) {
        if (_watched.count(dir)) return;
        int wd = ::inotify_add_watch(_inotify, dir.c_str(), mask);
        if (wd < 0) return;   // gone or not a directory: the scan still covers it
        _watches[wd] = dir;
        _watched.insert(dir);
    };
    add(_options.dir, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
    for (const auto& c : entries(_options.dir)) {
        if (!allDigits(c)) continue;
        add(_options.dir + "/" + c, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR);
        add(_options.dir + "/" + c + "/in", IN_CLOSE_WRITE | IN_MOVED_TO | IN_ONLYDIR);
    }
}

void DropWatcher::run() {
    using Clock = std::chrono::steady_clock;
    auto lastFull = Clock::now();
    bool scanNow = true;   // at start, and after any inotify event
    for (;;) {
        try {
            watchDirectories();
            const auto now = Clock::now();
            // A full scan at start, every rescanSeconds, and after any event; while files wait
            // for their size to settle, once a second.
            if (scanNow || now - lastFull >= std::chrono::seconds(_options.rescanSeconds) || !_seen.empty()) {
                scanNow = false;
                lastFull = now;
                scanOnce(now);
            }
        } catch (const std::exception& e) {
            platform::logError("drop", "scan failed", {{"error", e.what()}});
        }
        pollfd fds[2] = {{_wakePipe[0], POLLIN, 0}, {_inotify, POLLIN, 0}};
        const int nfds = _inotify >= 0 ? 2 : 1;
        const int timeoutMs = _seen.empty() ? static_cast<int>(std::min(_options.rescanSeconds, 5u)) * 1000 : 1000;
        int rc = ::poll(fds, nfds, timeoutMs);
        if (rc < 0 && errno != EINTR) break;
        if (!_started) break;
        if (rc > 0 && fds[0].revents) {
            char buf[16];
            while (::read(_wakePipe[0], buf, sizeof buf) > 0) {}
            if (!_started) break;
        }
        if (rc > 0 && nfds == 2 && fds[1].revents) {
            alignas(inotify_event) char buf[8192];
            ssize_t n;
            while ((n = ::read(_inotify, buf, sizeof buf)) > 0) {
                for (char* p = buf; p < buf + n;) {
                    auto* ev = reinterpret_cast<inotify_event*>(p);
                    p += sizeof(inotify_event) + ev->len;
                    if (ev->mask & IN_Q_OVERFLOW) continue;   // the scan below is the truth
                    auto w = _watches.find(ev->wd);
                    if (w == _watches.end() || ev->len == 0) continue;
                    if ((ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) && !(ev->mask & IN_ISDIR) &&
                        endsWith(w->second, "/in"))
                        markComplete(w->second + "/" + ev->name);
                }
            }
            scanNow = true;   // something happened: scan now (a hint; the scan decides)
        }
    }
}

std::size_t DropWatcher::scanOnce(std::chrono::steady_clock::time_point now) {
    std::size_t moved = 0;
    std::map<std::string, Seen> stillSeen;
    for (const auto& c : entries(_options.dir)) {
        if (!allDigits(c)) continue;
        const std::string creditorDir = _options.dir + "/" + c;
        const std::string in = creditorDir + "/in";
        for (const auto& name : entries(in)) {
            if (ignoredName(name)) continue;
            const std::string path = in + "/" + name;
            struct stat st;
            if (::lstat(path.c_str(), &st) != 0) continue;
            bool ready = false;
            {
                std::lock_guard lock(_mutex);
                ready = _complete.erase(path) > 0;
            }
            if (!S_ISREG(st.st_mode)) ready = true;   // refused at once, below
            if (!ready) {
                const std::int64_t mtimeNs =
                    static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
                auto it = _seen.find(path);
                if (it == _seen.end() || it->second.size != static_cast<std::uint64_t>(st.st_size) ||
                    it->second.mtimeNs != mtimeNs) {
                    stillSeen[path] = Seen{static_cast<std::uint64_t>(st.st_size), mtimeNs, now};
                    continue;
                }
                if (now - it->second.since < std::chrono::seconds(_options.stableSeconds)) {
                    stillSeen[path] = it->second;
                    continue;
                }
            }
            try {
                if (take(std::stoll(c), creditorDir, name)) ++moved;
            } catch (const std::exception& e) {
                // Could not store or move now: the file stays in in/ and the next rescan retries.
                platform::logWarning("drop", "left in place, will retry", {{"file", path}, {"error", e.what()}});
            }
        }
    }
    _seen.swap(stillSeen);
    return moved;
}

bool DropWatcher::take(std::int64_t creditorId, const std::string& creditorDir, const std::string& name) {
    const std::string path = creditorDir + "/in/" + name;
    auto file = readFile(path, _options.maxFileBytes);
    switch (file.status) {
    case ReadResult::Gone:
        return false;
    case ReadResult::NotRegular:
        finish(creditorDir, name, false, "not a regular file (a link or a folder): upload the file itself");
        return true;
    case ReadResult::TooBig:
        finish(creditorDir, name, false,
               "larger than the limit of " + std::to_string(_options.maxFileBytes) + " bytes: not imported");
        return true;
    case ReadResult::Ok:
        break;
    }
    const DropImport result = _importer(creditorId, name, file.bytes);   // commits before returning
    platform::log(result.applied ? platform::LogLevel::Info : platform::LogLevel::Warning, "drop",
                  result.applied ? "imported" : "failed",
                  {{"creditor", std::to_string(creditorId)}, {"file", name}, {"error", result.error},
                   {"result", result.json}});
    finish(creditorDir, name, result.applied, result.error);
    return true;
}

void DropWatcher::finish(const std::string& creditorDir, const std::string& name, bool ok, const std::string& error) {
    const std::string in = creditorDir + "/in";
    const std::string target = creditorDir + (ok ? "/done" : "/failed");
    ensureDir(target, 0775);
    const std::string finalName = freeName(target, name);
    if (!ok) {
        // The reason first: if we crash between the two, the file is imported again (same item)
        // and the reason rewritten; never a failed file without its reason.
        writeDurably(target + "/" + finalName + ".error.txt",
                     name + ": " + (error.empty() ? std::string("could not be imported") : error) + "\n");
    }
    if (::rename((in + "/" + name).c_str(), (target + "/" + finalName).c_str()) != 0)
        throw std::runtime_error(sysError("rename " + in + "/" + name));
    fsyncDir(target);
    fsyncDir(in);
}

}  // namespace duegate::inbound
