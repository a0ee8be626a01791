// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/testing/buffer_naming_service.hpp>

#include <chrono>
#include <cstdlib>

#include <unistd.h>

namespace zerobuffer::testing {

namespace {

// A variable that is set and non-empty, or null.
const char* env_value(const char* name) noexcept
{
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : nullptr;
}

} // namespace

std::string buffer_naming_service::get_buffer_name(std::string_view base)
{
    const std::lock_guard<std::mutex> lock(mutex_);
    if (const auto it = names_.find(base); it != names_.end()) {
        return it->second;
    }
    auto name = make_unique_name(base);
    names_.emplace(std::string(base), name);
    return name;
}

void buffer_naming_service::clear()
{
    const std::lock_guard<std::mutex> lock(mutex_);
    names_.clear();
}

std::string buffer_naming_service::make_unique_name(std::string_view base) const
{
    std::string name(base);
    name += '_';
    const char* host_pid = env_value("HARMONY_HOST_PID");
    const char* feature_id = env_value("HARMONY_FEATURE_ID");
    if (host_pid != nullptr && feature_id != nullptr) {
        name += host_pid;
        name += '_';
        name += feature_id;
        return name;
    }
    // Two names made within one clock tick would collide; the tick is 1 ns on
    // Linux, and mutex-serialized calls are far slower than that, but make the
    // stamp strictly increasing anyway.
    static std::mutex stamp_mutex;
    static long long last_stamp = 0;
    long long stamp = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    {
        const std::lock_guard<std::mutex> lock(stamp_mutex);
        if (stamp <= last_stamp) {
            stamp = last_stamp + 1;
        }
        last_stamp = stamp;
    }
    name += std::to_string(::getpid());
    name += '_';
    name += std::to_string(stamp);
    return name;
}

} // namespace zerobuffer::testing
