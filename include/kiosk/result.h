// Result<T>: the value-or-error type used across the domain, store and sync layers.
// Errors in code are values; exceptions are kept for programming mistakes and for
// third-party libraries at the edges, which are caught and turned into Results there.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

struct Error {
    std::string code;     // stable machine-readable kind, e.g. "disk_full", "pack_invalid"
    std::string message;  // sentence for logs and admins; never contains personal data
};

// [[nodiscard]]: a Result thrown away is an error nobody handled. Status is a Result too; a call
// whose outcome truly does not matter says so where it is made.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() { return std::get<T>(state_); }
    const T& value() const { return std::get<T>(state_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

// For operations that return nothing on success.
struct Done {};
using Status = Result<Done>;

}  // namespace kiosk
