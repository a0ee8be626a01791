// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TESTING_BUFFER_NAMING_SERVICE_HPP
#define ZEROBUFFER_TESTING_BUFFER_NAMING_SERVICE_HPP

/// @file
/// Unique buffer names for tests (PROTOCOL.md section 9), so that runs of any
/// implementation never collide.

#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace zerobuffer::testing {

/// Maps a base name to a unique full name, `BASE_<id>`: the id is
/// `$HARMONY_HOST_PID_$HARMONY_FEATURE_ID` when both variables are set, else
/// `<pid>_<nanosecond timestamp>`. The same base name maps to the same full name
/// for the life of the service. Thread-safe.
class buffer_naming_service {
public:
    buffer_naming_service() = default;

    /// The full name for `base`; the same on every call with the same base.
    std::string get_buffer_name(std::string_view base);

    /// Forgets every mapping (the next call makes new names).
    void clear();

private:
    std::string make_unique_name(std::string_view base) const;

    std::mutex mutex_;
    std::map<std::string, std::string, std::less<>> names_;
};

} // namespace zerobuffer::testing

#endif // ZEROBUFFER_TESTING_BUFFER_NAMING_SERVICE_HPP
