#include "gateway/services/payments/ParseAhead.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace duegate::services::payments {
namespace {

namespace bank = parsers::bank;

// Entries per chunk and chunks in flight: enough that the two threads rarely wait for each other,
// few enough that memory stays a few hundred KB whatever the file's size.
constexpr std::size_t kChunk = 256;
constexpr std::size_t kDepth = 4;

struct Event {
    std::shared_ptr<const bank::Statement> header;  // set: an entry of the statement with this header
    std::vector<store::payments::LineRecord> lines;  // the lines it makes
    std::unique_ptr<bank::Statement> end;            // header unset: the statement's end
};
using Chunk = std::vector<Event>;

// Thrown into the parser when the consumer gave up: unwinds it without a result.
struct Cancelled {};

class Channel {
public:
    // Producer side. Throws Cancelled once the consumer has stopped.
    void push(Chunk&& c) {
        std::unique_lock lock(_mutex);
        _space.wait(lock, [&] { return _cancelled || _chunks.size() < kDepth; });
        if (_cancelled) throw Cancelled{};
        _chunks.push_back(std::move(c));
        _ready.notify_one();
    }
    void close(std::optional<parsers::Error> result, std::exception_ptr failure) {
        std::lock_guard lock(_mutex);
        _closed = true;
        _result = std::move(result);
        _failure = std::move(failure);
        _ready.notify_one();
    }
    // Consumer side: false at the end (every chunk taken).
    bool pop(Chunk& out) {
        std::unique_lock lock(_mutex);
        _ready.wait(lock, [&] { return !_chunks.empty() || _closed; });
        if (_chunks.empty()) return false;
        out = std::move(_chunks.front());
        _chunks.pop_front();
        _space.notify_one();
        return true;
    }
    void cancel() {
        std::lock_guard lock(_mutex);
        _cancelled = true;
        _chunks.clear();
        _space.notify_one();
    }
    // Chunks the consumer delivered, handed back so the producer's thread frees them (LineReturn).
    void giveBack(Chunk&& c) {
        std::lock_guard lock(_mutex);
        _done.push_back(std::move(c));
    }
    std::vector<Chunk> takeDone() {
        std::lock_guard lock(_mutex);
        return std::exchange(_done, {});
    }
    std::optional<parsers::Error> result() {
        std::lock_guard lock(_mutex);
        if (_failure) std::rethrow_exception(_failure);
        return _result;
    }

private:
    std::mutex _mutex;
    std::condition_variable _ready, _space;
    std::deque<Chunk> _chunks;
    std::vector<Chunk> _done;
    bool _closed = false, _cancelled = false;
    std::optional<parsers::Error> _result;
    std::exception_ptr _failure;
};

// Joins the parser thread on every way out of parseAhead (a consumer exception included), after
// telling it to stop: the thread reads the caller's stream, which must outlive it.
class Joiner {
public:
    Joiner(Channel& ch, std::thread& t) : _ch(ch), _t(t) {}
    ~Joiner() {
        _ch.cancel();
        if (_t.joinable()) _t.join();
    }

private:
    Channel& _ch;
    std::thread& _t;
};

}  // namespace

void LineReturn::giveBack(std::vector<store::payments::LineRecord>&& lines) {
    std::lock_guard lock(_mutex);
    _lines.push_back(std::move(lines));
}

void LineReturn::release() {
    std::vector<std::vector<store::payments::LineRecord>> dead;
    {
        std::lock_guard lock(_mutex);
        dead.swap(_lines);
    }
}  // freed here, outside the lock

std::optional<parsers::Error> parseAhead(const StatementParse& parse, const AheadCallbacks& deliver,
                                         LineReturn* returned) {
    Channel ch;
    std::thread producer([&] {
        Chunk chunk;
        chunk.reserve(kChunk);
        std::shared_ptr<const bank::Statement> header;  // of the statement being read, from its first entry
        auto send = [&] {
            ch.push(std::move(chunk));
            chunk = Chunk();
            chunk.reserve(kChunk);
            // Free on this thread what the consumer is done with (LineReturn).
            ch.takeDone();
            if (returned) returned->release();
        };
        bank::StatementCallbacks cb;
        cb.onEntry = [&](const bank::Statement& s, bank::Entry&& e) {
            if (!header) header = std::make_shared<const bank::Statement>(s);
            Event ev{header, {}, {}};
            deliver.prepare(*header, e, ev.lines);
            chunk.push_back(std::move(ev));
            if (chunk.size() >= kChunk) send();
        };
        cb.onStatement = [&](bank::Statement&& s) {
            header.reset();
            chunk.push_back(Event{nullptr, {}, std::make_unique<bank::Statement>(std::move(s))});
            if (chunk.size() >= kChunk) send();
        };
        try {
            auto result = parse(cb);
            if (!chunk.empty()) send();
            ch.close(std::move(result), nullptr);
        } catch (const Cancelled&) {
            ch.close(std::nullopt, nullptr);
        } catch (...) {
            // What the parser handed over before it broke is delivered first, as a direct call would.
            auto failure = std::current_exception();
            try {
                if (!chunk.empty()) send();
            } catch (const Cancelled&) {
            }
            ch.close(std::nullopt, failure);
        }
    });
    Joiner joiner(ch, producer);
    Chunk chunk;
    while (ch.pop(chunk)) {
        for (auto& ev : chunk) {
            if (ev.header) deliver.onLines(*ev.header, std::move(ev.lines));
            else deliver.onStatement(std::move(*ev.end));
        }
        ch.giveBack(std::move(chunk));
        chunk = Chunk();
    }
    return ch.result();
}

}  // namespace duegate::services::payments
