// Result<T>: the value a parser produced, or a *located* error saying where and what.
//
// Contract: parsers never throw for bad data; they return Result<T>::failure(Error{...}).
// An Error names the field and, where known, the 1-based line and/or the 0-based byte offset
// of the input at which the problem was found. Error::toString() is the one-line form that
// `duegate parse` prints on stderr ("line 12, byte 1404: field amount: not a decimal").
// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace duegate::parsers {

struct Error {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::string field;    // e.g. "amount", "record 2.1 / value date", "Stmt/Bal/Amt"
    std::string message;  // what is wrong, for a person
    std::size_t line = 0;        // 1-based; 0 = unknown
    std::size_t offset = npos;   // 0-based byte offset; npos = unknown
    std::string context;  // optional: a part name, file name inside a zip, ...

    // "line 12, byte 1404: field amount: not a decimal"
    std::string toString() const;
};

// Builds an Error; the overloads keep call sites short.
Error errorAt(std::size_t line, std::size_t offset, std::string field, std::string message);
Error errorAtLine(std::size_t line, std::string field, std::string message);
Error errorAtOffset(std::size_t offset, std::string field, std::string message);

template <class T>
class Result {
public:
    Result(T value) : _v(std::move(value)) {}          // NOLINT: implicit on purpose
    Result(Error error) : _v(std::move(error)) {}      // NOLINT: implicit on purpose

    bool ok() const { return std::holds_alternative<T>(_v); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(_v); }
    T& value() & { return std::get<T>(_v); }
    T&& value() && { return std::get<T>(std::move(_v)); }
    const Error& error() const { return std::get<Error>(_v); }

    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }

private:
    std::variant<T, Error> _v;
};

}  // namespace duegate::parsers
