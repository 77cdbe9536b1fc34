// Time as a parameter: services ask a Clock, tests hand in a FixedClock and move it.
// Thread-safety: SystemClock is stateless; FixedClock is for single-threaded tests, or guarded.
#pragma once

#include <Poco/Timestamp.h>

#include <atomic>

namespace duegate::services {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Poco::Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    Poco::Timestamp now() const override { return Poco::Timestamp(); }
};

class FixedClock final : public Clock {
public:
    explicit FixedClock(Poco::Timestamp t) : _t(t.epochMicroseconds()) {}
    Poco::Timestamp now() const override { return Poco::Timestamp(_t.load()); }
    void set(Poco::Timestamp t) { _t = t.epochMicroseconds(); }
    void advanceSeconds(long s) { _t += static_cast<Poco::Timestamp::TimeVal>(s) * 1000000; }

private:
    std::atomic<Poco::Timestamp::TimeVal> _t;
};

}  // namespace duegate::services
